/// A command that could not be parsed or run, with a message for the operator.
public struct CommandError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, safe to print.
    public let message: String

    /// Creates an error.
    ///
    /// - Parameter message: What went wrong.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Splits a command line into words: whitespace separates, `"…"` and `'…'` quote (a
/// backslash escapes inside double quotes), and each word remembers where it was.
public enum CommandTokenizer {
    /// One word of a command line.
    public struct Token: Sendable, Equatable {
        /// The word without its quotes.
        public var text: String
        /// Offset of its first character in the line (in `Character`s).
        public var start: Int
        /// Offset just past its last character.
        public var end: Int
        /// Whether the word began with a quote (so `"a:b"` is not a `key:value`).
        public var quotedFromStart: Bool
    }

    /// The words of `line`.
    ///
    /// - Parameter line: A command line.
    /// - Returns: The words in order.
    /// - Throws: ``CommandError`` for an unterminated quote.
    public static func tokenize(_ line: String) throws(CommandError) -> [Token] {
        let (tokens, openQuote) = scan(line)
        if openQuote { throw CommandError("unterminated quote") }
        return tokens
    }

    /// The words of `line`, tolerating an unterminated quote at the end (for completion).
    ///
    /// - Parameter line: A command line, possibly incomplete.
    /// - Returns: The words, and whether the line ends inside a quote.
    public static func scan(_ line: String) -> (tokens: [Token], openQuote: Bool) {
        var tokens: [Token] = []
        var current = ""
        var start: Int?
        var quote: Character?
        var quotedFromStart = false
        var escaped = false
        for (offset, character) in line.enumerated() {
            if let open = quote {
                if escaped {
                    switch character {
                    case "n": current.append("\n")
                    case "t": current.append("\t")
                    default: current.append(character)
                    }
                    escaped = false
                } else if character == "\\" && open == "\"" {
                    escaped = true
                } else if character == open {
                    quote = nil
                } else {
                    current.append(character)
                }
                continue
            }
            if character.isWhitespace {
                if let begin = start {
                    tokens.append(Token(text: current, start: begin, end: offset, quotedFromStart: quotedFromStart))
                    current = ""
                    start = nil
                }
                continue
            }
            if start == nil {
                start = offset
                quotedFromStart = character == "\"" || character == "'"
            }
            if character == "\"" || character == "'" {
                quote = character
            } else {
                current.append(character)
            }
        }
        if let begin = start {
            tokens.append(Token(text: current, start: begin, end: line.count, quotedFromStart: quotedFromStart))
        }
        return (tokens, quote != nil)
    }

    /// `text` as one word: quoted (with escapes) when it holds whitespace, quotes or is empty.
    ///
    /// - Parameter text: Any text.
    /// - Returns: A word that tokenizes back to `text`.
    public static func quoteIfNeeded(_ text: String) -> String {
        guard text.isEmpty || text.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "'" || $0 == "\\" }) else {
            return text
        }
        var quoted = "\""
        for character in text {
            switch character {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            default: quoted.append(character)
            }
        }
        return quoted + "\""
    }
}
