/// Tab completion for the command line: command names, rooms, socket ids, event names,
/// namespaces, themes and filter keys, chosen by where the cursor is in the command.
public enum CommandCompleter {
    /// What can be completed, taken from the live tables.
    public struct Source: Sendable {
        /// Room names (private id-rooms left out).
        public var rooms: [String]
        /// Socket ids.
        public var sockets: [String]
        /// Event names seen in the stream.
        public var events: [String]
        /// Namespace names.
        public var namespaces: [String]
        /// Theme names.
        public var themes: [String]

        /// Creates a source.
        public init(rooms: [String] = [], sockets: [String] = [], events: [String] = [], namespaces: [String] = [], themes: [String] = []) {
            self.rooms = rooms
            self.sockets = sockets
            self.events = events
            self.namespaces = namespaces
            self.themes = themes
        }
    }

    /// What Tab does to a line.
    public struct Completion: Sendable, Equatable {
        /// Offset (in `Character`s) where the word being completed starts.
        public var start: Int
        /// The word as typed so far.
        public var prefix: String
        /// Every candidate, sorted.
        public var candidates: [String]
        /// The longest text all candidates start with (at least ``prefix``).
        public var commonPrefix: String

        /// The line with the word replaced by the common prefix, and a space after a
        /// unique candidate.
        ///
        /// - Parameter line: The line completed (up to the cursor).
        /// - Returns: The new line.
        public func apply(to line: String) -> String {
            guard !candidates.isEmpty else { return line }
            let head = String(line.prefix(start))
            let word = CommandTokenizer.quoteIfNeeded(commonPrefix)
            if candidates.count == 1 {
                // "event:" style keys take their value right after, without a space.
                return head + word + (word.hasSuffix(":") ? "" : " ")
            }
            return head + word
        }
    }

    /// The completion of the last word of `line` (the text before the cursor).
    ///
    /// - Parameters:
    ///   - line: The command line up to the cursor.
    ///   - source: The names to choose from.
    /// - Returns: The candidates and where they go.
    public static func complete(_ line: String, source: Source) -> Completion {
        let (tokens, _) = CommandTokenizer.scan(line)
        let endsWithSpace = line.last?.isWhitespace ?? true
        var words = tokens.map(\.text)
        let prefix: String
        let start: Int
        if endsWithSpace || tokens.isEmpty {
            prefix = ""
            start = line.count
        } else {
            prefix = words.removeLast()
            start = tokens.last!.start
        }
        // The word before the cursor's, and the command.
        let command = words.first?.lowercased()
        var pool: [String]
        var valuePrefix = ""
        if command == nil {
            pool = CommandReference.names
        } else {
            switch command! {
            case "join", "leave":
                pool = words.count == 1 ? source.rooms : source.sockets
            case "kick", "kick!", "show", "open":
                pool = source.sockets
            case "theme":
                pool = words.count == 1 ? source.themes : []
            case "sockets", "rooms", "ls":
                pool = words.count == 1 ? source.namespaces : []
            case "help":
                pool = CommandReference.names
            case "emit":
                pool = emitPool(words: words, prefix: prefix, source: source)
            case "filter", "f":
                if let colon = prefix.firstIndex(of: ":") {
                    let key = prefix[..<colon].lowercased()
                    valuePrefix = String(prefix[...colon])
                    switch key {
                    case "event": pool = source.events
                    case "socket": pool = source.sockets
                    case "room": pool = source.rooms
                    case "nsp": pool = source.namespaces
                    case "dir": pool = ["in", "out", "sys"]
                    default: pool = []
                    }
                } else {
                    pool = ["event:", "socket:", "room:", "nsp:", "dir:", "clear"]
                }
            default:
                pool = []
            }
        }
        let typed = String(prefix.dropFirst(valuePrefix.count))
        let candidates = Array(Set(pool.filter { $0.hasPrefix(typed) && !$0.isEmpty })).sorted().map { valuePrefix + $0 }
        let common = candidates.isEmpty ? prefix : longestCommonPrefix(candidates)
        return Completion(start: start, prefix: prefix, candidates: candidates, commonPrefix: common)
    }

    private static func emitPool(words: [String], prefix: String, source: Source) -> [String] {
        if let last = words.last, words.count > 1 {
            switch last {
            case "--to": return source.rooms + source.sockets
            case "--nsp": return source.namespaces
            case "--ack": return []
            default: break
            }
        }
        // Past the event name: JSON arguments, nothing to complete.
        let eventGiven = words.dropFirst().enumerated().contains { offset, word in
            let all = Array(words.dropFirst())
            let isOptionValue = offset > 0 && ["--to", "--nsp", "--ack"].contains(all[offset - 1])
            return !word.hasPrefix("--") && !isOptionValue
        }
        if eventGiven { return [] }
        if prefix.hasPrefix("-") { return ["--to", "--nsp", "--ack"] }
        return source.events
    }

    static func longestCommonPrefix(_ words: [String]) -> String {
        guard var common = words.first.map(Array.init) else { return "" }
        for word in words.dropFirst() {
            let characters = Array(word)
            var length = 0
            while length < common.count, length < characters.count, common[length] == characters[length] { length += 1 }
            common = Array(common.prefix(length))
        }
        return String(common)
    }
}

/// The command line's history: the last commands run, browsed with ↑ and ↓ while the
/// line being typed is kept aside.
public struct CommandHistory: Sendable {
    /// The most commands kept.
    public let capacity: Int
    /// The commands, oldest first.
    public private(set) var entries: [String] = []
    private var position: Int?
    private var draft = ""

    /// Creates an empty history.
    ///
    /// - Parameter capacity: The most commands kept.
    public init(capacity: Int = 200) {
        self.capacity = max(1, capacity)
    }

    /// Adds a command run (not blank, not a repeat of the previous one) and ends browsing.
    ///
    /// - Parameter line: The command.
    public mutating func record(_ line: String) {
        position = nil
        draft = ""
        guard !line.trimmingWhitespace.isEmpty, entries.last != line else { return }
        entries.append(line)
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }

    /// The previous command (↑), keeping `current` as the draft the first time.
    ///
    /// - Parameter current: The line as typed now.
    /// - Returns: The line to show, or `nil` at the oldest.
    public mutating func previous(current: String) -> String? {
        guard !entries.isEmpty else { return nil }
        if let position {
            guard position > 0 else { return nil }
            self.position = position - 1
        } else {
            draft = current
            position = entries.count - 1
        }
        return entries[self.position!]
    }

    /// The next command (↓), and the draft after the newest.
    ///
    /// - Returns: The line to show, or `nil` when not browsing.
    public mutating func next() -> String? {
        guard let position else { return nil }
        if position + 1 < entries.count {
            self.position = position + 1
            return entries[position + 1]
        }
        self.position = nil
        return draft
    }

    /// Stops browsing (the line was edited or cancelled).
    public mutating func reset() {
        position = nil
        draft = ""
    }
}

/// The text being typed on the command line, with a cursor, and the usual editing keys.
public struct LineEditor: Sendable, Equatable {
    /// The characters typed.
    public private(set) var characters: [Character] = []
    /// The cursor, between 0 and `characters.count`.
    public private(set) var cursor = 0

    /// Creates an editor holding `text`, cursor at the end.
    public init(_ text: String = "") {
        set(text)
    }

    /// The text.
    public var text: String { String(characters) }
    /// The text before the cursor.
    public var textBeforeCursor: String { String(characters[..<cursor]) }

    /// Replaces the text, cursor at the end.
    public mutating func set(_ text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    /// Replaces the text before the cursor (after a completion), keeping what follows.
    public mutating func replaceBeforeCursor(_ text: String) {
        let after = characters[cursor...]
        characters = Array(text) + after
        cursor = text.count
    }

    /// Inserts at the cursor.
    public mutating func insert(_ character: Character) {
        characters.insert(character, at: cursor)
        cursor += 1
    }

    /// Deletes before the cursor (Backspace).
    public mutating func backspace() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    /// Deletes at the cursor (Delete).
    public mutating func delete() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    /// Moves left.
    public mutating func left() { cursor = max(0, cursor - 1) }
    /// Moves right.
    public mutating func right() { cursor = min(characters.count, cursor + 1) }
    /// Moves to the start (Home, Ctrl-A).
    public mutating func home() { cursor = 0 }
    /// Moves to the end (End, Ctrl-E).
    public mutating func end() { cursor = characters.count }
    /// Deletes from the cursor to the end (Ctrl-K).
    public mutating func killToEnd() { characters.removeSubrange(cursor...) }
    /// Deletes from the start to the cursor (Ctrl-U).
    public mutating func killToStart() {
        characters.removeSubrange(..<cursor)
        cursor = 0
    }

    /// Deletes the word before the cursor (Ctrl-W).
    public mutating func deleteWordBackward() {
        var start = cursor
        while start > 0, characters[start - 1].isWhitespace { start -= 1 }
        while start > 0, !characters[start - 1].isWhitespace { start -= 1 }
        characters.removeSubrange(start..<cursor)
        cursor = start
    }
}
