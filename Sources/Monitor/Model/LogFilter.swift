/// What the packet stream shows: every condition given must hold.
///
/// The text form, used by `:filter` and `/`, is a list of words: `event:NAME`,
/// `socket:ID` (a prefix is enough), `room:NAME`, `nsp:/NAME`, `dir:in|out|sys`, and any
/// other word is searched, case-insensitively, in the event name, the socket id, the room
/// and the payload preview. `event:chat*` matches names starting with `chat`. Quote a value
/// with spaces: `room:"salle 1"`.
public struct LogFilter: Sendable, Equatable, CustomStringConvertible {
    /// Free text searched in the line.
    public var text: String?
    /// The event name, exact, or a prefix when it ends with `*`.
    public var event: String?
    /// A socket id or its prefix.
    public var socket: String?
    /// A room: lines about its members or about joining and leaving it.
    public var room: String?
    /// The namespace.
    public var namespace: String?
    /// The direction.
    public var direction: Direction?

    /// A filter that lets everything through.
    public init(text: String? = nil, event: String? = nil, socket: String? = nil, room: String? = nil,
                namespace: String? = nil, direction: Direction? = nil) {
        self.text = text
        self.event = event
        self.socket = socket
        self.room = room
        self.namespace = namespace
        self.direction = direction
    }

    /// Whether the filter lets everything through.
    public var isEmpty: Bool {
        text == nil && event == nil && socket == nil && room == nil && namespace == nil && direction == nil
    }

    /// Parses the text form.
    ///
    /// - Parameter source: Words such as `event:chat dir:in hello`.
    /// - Throws: ``CommandError`` for an unknown direction or an empty value.
    public init(parsing source: String) throws(CommandError) {
        self.init()
        var words: [String] = []
        for token in try CommandTokenizer.tokenize(source) {
            let word = token.text
            guard let colon = word.firstIndex(of: ":"), !token.quotedFromStart else {
                words.append(word)
                continue
            }
            let key = word[..<colon].lowercased()
            let value = String(word[word.index(after: colon)...])
            switch key {
            case "event", "socket", "room", "nsp", "dir", "text":
                guard !value.isEmpty else { throw CommandError("\(key): needs a value") }
            default:
                words.append(word)
                continue
            }
            switch key {
            case "event": event = value
            case "socket": socket = value
            case "room": room = value
            case "nsp": namespace = value.hasPrefix("/") ? value : "/" + value
            case "dir":
                switch value.lowercased() {
                case "in", "inbound", "<": direction = .inbound
                case "out", "outbound", ">": direction = .outbound
                case "sys", "system": direction = .system
                default: throw CommandError("dir: must be in, out or sys, not \(Sanitizer.clean(value, limit: 20))")
                }
            default: words.append(value)
            }
        }
        if !words.isEmpty { text = words.joined(separator: " ") }
    }

    /// The text form, which parses back to the same filter.
    public var description: String {
        var parts: [String] = []
        if let event { parts.append("event:" + CommandTokenizer.quoteIfNeeded(event)) }
        if let socket { parts.append("socket:" + CommandTokenizer.quoteIfNeeded(socket)) }
        if let room { parts.append("room:" + CommandTokenizer.quoteIfNeeded(room)) }
        if let namespace { parts.append("nsp:" + CommandTokenizer.quoteIfNeeded(namespace)) }
        if let direction { parts.append("dir:" + direction.rawValue) }
        if let text { parts.append(CommandTokenizer.quoteIfNeeded(text)) }
        return parts.joined(separator: " ")
    }

    /// Whether `entry` passes.
    ///
    /// - Parameters:
    ///   - entry: A log line.
    ///   - roomsOf: The rooms a socket is in now, for the room condition.
    /// - Returns: Whether every condition holds.
    public func matches(_ entry: LogEntry, roomsOf: (String) -> Set<String>?) -> Bool {
        if let direction, entry.direction != direction { return false }
        if let namespace, entry.namespace != namespace { return false }
        if let event {
            guard let name = entry.event else { return false }
            if event.hasSuffix("*") {
                guard name.hasPrefix(event.dropLast()) else { return false }
            } else if name != event {
                return false
            }
        }
        if let socket {
            guard let id = entry.socketID, id.hasPrefix(socket) else { return false }
        }
        if let room {
            if entry.room != room {
                guard let id = entry.socketID, id == room || roomsOf(id)?.contains(room) == true else { return false }
            }
        }
        if let text {
            let needle = text.lowercased()
            let haystacks = [entry.event, entry.socketID, entry.room, entry.namespace, entry.summary]
            guard haystacks.contains(where: { $0?.lowercased().contains(needle) == true }) else { return false }
        }
        return true
    }
}
