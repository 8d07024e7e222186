import Monitor

/// The console's `:` command line: the tokenizer (quotes, escapes), the parser of every
/// command, the log filter syntax and tab completion. The text can come from a client
/// indirectly: completion offers room names, socket ids and event names seen on the wire.
enum ConsoleCommandTarget {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self)
        let scanned = CommandTokenizer.scan(line)
        if let tokens = try? CommandTokenizer.tokenize(line) {
            require(!scanned.openQuote, "tokenize accepted a line scan finds unterminated")
            for token in tokens where !mergesWithQuote(token.text) {
                // A token re-quoted for the command line reads back as itself.
                let quoted = CommandTokenizer.quoteIfNeeded(token.text)
                let again = try? CommandTokenizer.tokenize(quoted)
                require(again?.map(\.text) == [token.text] || token.text.isEmpty,
                             "quoteIfNeeded(\(token.text.debugDescription)) reads back as \(String(describing: again))")
            }
        }
        _ = try? CommandParser.parse(line)
        _ = try? LogFilter(parsing: line)
        let names = scanned.tokens.map(\.text)
        let source = CommandCompleter.Source(rooms: names, sockets: names, events: names, namespaces: names, themes: names)
        _ = CommandCompleter.complete(line, source: source).apply(to: line)
    }

    /// Known and left alone (see the fuzzing report): the tokenizer reads `Character`s, so
    /// text that starts with a combining mark fuses with the opening quote `quoteIfNeeded`
    /// puts before it (`"` + U+0350 is one character), and the quote is not seen.
    private static func mergesWithQuote(_ text: String) -> Bool {
        ("\"" + text).first != "\""
    }
}
