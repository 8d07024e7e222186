import SocketIO

/// Parses `:` command lines into ``ConsoleCommand``s.
public enum CommandParser {
    /// Parses one command line (a leading `:` is allowed).
    ///
    /// - Parameter line: What the operator typed.
    /// - Returns: The command.
    /// - Throws: ``CommandError`` with a message saying what is wrong.
    public static func parse(_ line: String) throws(CommandError) -> ConsoleCommand {
        var source = Substring(line)
        while let first = source.first, first.isWhitespace || first == ":" { source.removeFirst() }
        let text = String(source)
        // Emit's JSON arguments are read raw, so the line is only scanned as far as the event
        // name: an apostrophe in a bare word must not count as an open quote.
        let scanned = CommandTokenizer.scan(text).tokens
        guard let head = scanned.first else { throw CommandError("empty command: try help") }
        if head.text.lowercased() == "emit" {
            return .emit(try parseEmit(text, tokens: Array(scanned.dropFirst())))
        }
        let tokens = try CommandTokenizer.tokenize(text)
        let arguments = tokens.dropFirst().map(\.text)
        switch head.text.lowercased() {
        case "join", "leave":
            guard let room = arguments.first, !room.isEmpty else { throw CommandError("usage: \(head.text) <room> [socket-id…]") }
            let sockets = Array(arguments.dropFirst())
            return head.text.lowercased() == "join" ? .join(room: room, sockets: sockets) : .leave(room: room, sockets: sockets)
        case "kick":
            return .kick(sockets: arguments, closeConnection: false)
        case "kick!":
            return .kick(sockets: arguments, closeConnection: true)
        case "filter", "f":
            let rest = tokens.count > 1 ? String(text.dropFirst(tokens[1].start)) : ""
            if rest.trimmingWhitespace.isEmpty { return .filter(.show) }
            if ["clear", "off", "none", "reset"].contains(rest.trimmingWhitespace.lowercased()) { return .filter(.clear) }
            let filter = try LogFilter(parsing: rest)
            return .filter(filter.isEmpty ? .clear : .set(filter))
        case "theme":
            guard arguments.count == 1 else { throw CommandError("usage: theme <name|path>") }
            return .theme(arguments[0])
        case "export":
            guard arguments.count == 1, !arguments[0].isEmpty else { throw CommandError("usage: export <file.jsonl>") }
            return .export(path: arguments[0])
        case "help", "?":
            return .help(arguments.first)
        case "quit", "q", "exit":
            return .quit
        case "pause":
            return .pause
        case "resume", "follow":
            return .resume
        case "sockets", "ls":
            return .sockets(namespace: arguments.first.map(normalizedNamespace))
        case "rooms":
            return .rooms(namespace: arguments.first.map(normalizedNamespace))
        case "nodes", "cluster":
            return .nodes
        case "show", "open":
            guard arguments.count == 1 else { throw CommandError("usage: show <socket-id>") }
            return .show(socketID: arguments[0])
        default:
            throw CommandError("unknown command \"\(Sanitizer.clean(head.text, limit: 30))\": try help")
        }
    }

    static func normalizedNamespace(_ name: String) -> String {
        name.hasPrefix("/") ? name : "/" + name
    }

    private static func parseEmit(_ line: String, tokens: [CommandTokenizer.Token]) throws(CommandError) -> EmitCommand {
        var targets: [String] = []
        var namespace: String?
        var ackTimeout: Duration?
        var index = 0
        func value(_ option: String) throws(CommandError) -> String {
            index += 1
            guard index < tokens.count, !tokens[index].text.isEmpty else { throw CommandError("\(option) needs a value") }
            return tokens[index].text
        }
        while index < tokens.count {
            let token = tokens[index]
            guard !token.quotedFromStart, token.text.hasPrefix("--") else { break }
            var option = token.text
            var inline: String?
            if let equals = option.firstIndex(of: "=") {
                inline = String(option[option.index(after: equals)...])
                option = String(option[..<equals])
            }
            func argument() throws(CommandError) -> String {
                if let inline { return inline }
                return try value(option)
            }
            switch option {
            case "--to":
                targets.append(try argument())
            case "--nsp":
                namespace = normalizedNamespace(try argument())
            case "--ack":
                let text = try argument()
                guard let duration = parseDuration(text) else {
                    throw CommandError("--ack wants milliseconds (or 5s), not \(Sanitizer.clean(text, limit: 20))")
                }
                ackTimeout = duration
            case "--":
                index += 1
                break
            default:
                throw CommandError("unknown option \(Sanitizer.clean(option, limit: 20)) (use --to, --nsp, --ack)")
            }
            if option == "--" { break }
            index += 1
        }
        guard index < tokens.count else {
            throw CommandError("usage: emit [--to room|socket-id]… [--nsp /name] [--ack ms] <event> [json-arg…]")
        }
        let event = tokens[index].text
        guard !event.isEmpty else { throw CommandError("the event name is empty") }
        if SocketIOPacketReserved.names.contains(event) {
            throw CommandError("\"\(event)\" is a reserved event name")
        }
        let rest = String(line.dropFirst(tokens[index].end))
        let arguments = try JSONArguments.parse(rest)
        return EmitCommand(targets: targets, namespace: namespace, ackTimeout: ackTimeout, event: event, arguments: arguments)
    }

    /// `500`, `500ms`, `5s`, `1.5s`.
    static func parseDuration(_ text: String) -> Duration? {
        let lower = text.lowercased()
        if lower.hasSuffix("ms"), let value = Double(lower.dropLast(2)), value > 0 { return .milliseconds(Int64(value)) }
        if lower.hasSuffix("s"), let value = Double(lower.dropLast()), value > 0 { return .milliseconds(Int64(value * 1000)) }
        if let value = Double(lower), value > 0 { return .milliseconds(Int64(value)) }
        return nil
    }
}

/// The event names a client or server may not emit (Node's `RESERVED_EVENTS`).
enum SocketIOPacketReserved {
    static let names: Set<String> = ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]
}

extension String {
    var trimmingWhitespace: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}

/// Reads the arguments of `emit`: JSON values separated by whitespace (`{"a": 1} [2, 3]
/// "text" 42 true null`); a bare word that is not JSON is taken as a string, and so is a
/// `'single quoted'` text.
enum JSONArguments {
    static func parse(_ source: String) throws(CommandError) -> [JSONValue] {
        let characters = Array(source)
        var values: [JSONValue] = []
        var index = 0
        while index < characters.count {
            if characters[index].isWhitespace {
                index += 1
                continue
            }
            let start = index
            let first = characters[index]
            switch first {
            case "{", "[":
                var depth = 0
                var inString = false
                var escaped = false
                repeat {
                    let character = characters[index]
                    if inString {
                        if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                    } else if character == "\"" {
                        inString = true
                    } else if character == "{" || character == "[" {
                        depth += 1
                    } else if character == "}" || character == "]" {
                        depth -= 1
                    }
                    index += 1
                } while index < characters.count && depth > 0
                let text = String(characters[start..<index])
                guard depth == 0, let value = try? JSONValue(parsing: text) else {
                    throw CommandError("argument \(values.count + 1) is not valid JSON: \(Sanitizer.clean(text, limit: 40))")
                }
                values.append(value)
            case "\"":
                index += 1
                var escaped = false
                while index < characters.count {
                    let character = characters[index]
                    index += 1
                    if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { break }
                }
                let text = String(characters[start..<index])
                guard let value = try? JSONValue(parsing: text) else {
                    throw CommandError("argument \(values.count + 1) is not a valid JSON string: \(Sanitizer.clean(text, limit: 40))")
                }
                values.append(value)
            case "'":
                index += 1
                var text = ""
                while index < characters.count, characters[index] != "'" {
                    text.append(characters[index])
                    index += 1
                }
                guard index < characters.count else { throw CommandError("unterminated quote in argument \(values.count + 1)") }
                index += 1
                values.append(.string(text))
            default:
                while index < characters.count, !characters[index].isWhitespace { index += 1 }
                let word = String(characters[start..<index])
                values.append((try? JSONValue(parsing: word)) ?? .string(word))
            }
        }
        return values
    }
}
