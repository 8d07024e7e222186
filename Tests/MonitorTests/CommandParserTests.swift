import SocketIO
import Testing
@testable import Monitor

@Suite struct CommandParserTests {
    @Test func joinAndLeaveTakeARoomThenSocketIDs() throws {
        #expect(try CommandParser.parse("join lobby a b") == .join(room: "lobby", sockets: ["a", "b"]))
        #expect(try CommandParser.parse(":leave lobby") == .leave(room: "lobby", sockets: []))
        #expect(try CommandParser.parse(#"join "salle 1" x"#) == .join(room: "salle 1", sockets: ["x"]))
        #expect(try CommandParser.parse("join 房间") == .join(room: "房间", sockets: []))
        #expect(throws: CommandError.self) { try CommandParser.parse("join") }
    }

    @Test func kickAndKickBangDifferOnlyInClosingTheConnection() throws {
        #expect(try CommandParser.parse("kick a") == .kick(sockets: ["a"], closeConnection: false))
        #expect(try CommandParser.parse("kick! a b") == .kick(sockets: ["a", "b"], closeConnection: true))
        #expect(try CommandParser.parse("kick") == .kick(sockets: [], closeConnection: false))
        #expect(try CommandParser.parse("kick!").isActing)
    }

    @Test func emitReadsOptionsThenTheEventThenJSONArguments() throws {
        let command = try CommandParser.parse(#"emit --to lobby --to abc --nsp admin --ack 500 chat {"a": [1, 2]} "two words" 3 true null bare"#)
        #expect(command == .emit(EmitCommand(
            targets: ["lobby", "abc"], namespace: "/admin", ackTimeout: .milliseconds(500), event: "chat",
            arguments: [.object(["a": .array([.int(1), .int(2)])]), .string("two words"), .int(3), .bool(true), .null, .string("bare")]
        )))
    }

    @Test func emitAcceptsInlineOptionValuesSecondsAndApostrophes() throws {
        let command = try CommandParser.parse("emit --to=lobby --ack=2s note don't 'single quoted'")
        #expect(command == .emit(EmitCommand(targets: ["lobby"], ackTimeout: .milliseconds(2000), event: "note",
                                             arguments: [.string("don't"), .string("single quoted")])))
        #expect(try CommandParser.parse("emit ping") == .emit(EmitCommand(event: "ping")))
    }

    @Test func emitRefusesBadInputWithAMessage() {
        #expect(throws: CommandError.self) { try CommandParser.parse("emit") }
        #expect(throws: CommandError.self) { try CommandParser.parse("emit --to") }
        #expect(throws: CommandError.self) { try CommandParser.parse("emit --ack soon ping") }
        #expect(throws: CommandError.self) { try CommandParser.parse("emit --bogus ping") }
        #expect(throws: CommandError.self) { try CommandParser.parse(#"emit chat {"a": }"#) }
        do {
            _ = try CommandParser.parse("emit disconnect")
            Issue.record("a reserved event name was accepted")
        } catch {
            #expect(error.message.contains("reserved"))
        }
    }

    @Test func otherCommandsParse() throws {
        #expect(try CommandParser.parse("filter") == .filter(.show))
        #expect(try CommandParser.parse("filter clear") == .filter(.clear))
        #expect(try CommandParser.parse("filter event:chat dir:in hello") == .filter(.set(LogFilter(text: "hello", event: "chat", direction: .inbound))))
        #expect(try CommandParser.parse("theme light") == .theme("light"))
        #expect(try CommandParser.parse("export /tmp/x.jsonl") == .export(path: "/tmp/x.jsonl"))
        #expect(try CommandParser.parse("help emit") == .help("emit"))
        #expect(try CommandParser.parse("quit") == .quit)
        #expect(try CommandParser.parse("  q  ") == .quit)
        #expect(try CommandParser.parse("pause") == .pause)
        #expect(try CommandParser.parse("resume") == .resume)
        #expect(try CommandParser.parse("sockets admin") == .sockets(namespace: "/admin"))
        #expect(try CommandParser.parse("rooms") == .rooms(namespace: nil))
        #expect(try CommandParser.parse("show abc") == .show(socketID: "abc"))
    }

    @Test func unknownCommandsAndBrokenQuotesAreErrors() {
        #expect(throws: CommandError.self) { try CommandParser.parse("frobnicate") }
        #expect(throws: CommandError.self) { try CommandParser.parse("") }
        #expect(throws: CommandError.self) { try CommandParser.parse(#"join "unterminated"#) }
    }

    @Test func onlyServerActionsAreActing() throws {
        let acting = try ["join r", "leave r", "kick", "kick!", "emit x"].map { try CommandParser.parse($0).isActing }
        let passive = try ["filter", "theme dark", "export f", "help", "quit", "pause", "sockets", "rooms", "show x"].map { try CommandParser.parse($0).isActing }
        #expect(acting.allSatisfy { $0 })
        #expect(passive.allSatisfy { !$0 })
    }
}

@Suite struct CommandCompleterTests {
    let source = CommandCompleter.Source(
        rooms: ["lobby", "lounge", "房间"], sockets: ["AbcSocket1", "AbdSocket2"], events: ["chat", "ping"],
        namespaces: ["/", "/admin"], themes: ["dark", "high-contrast", "light"]
    )

    @Test func firstWordCompletesCommandNames() {
        let completion = CommandCompleter.complete("ki", source: source)
        #expect(completion.candidates == ["kick", "kick!"])
        #expect(completion.commonPrefix == "kick")
        #expect(completion.apply(to: "ki") == "kick")
        #expect(CommandCompleter.complete("em", source: source).apply(to: "em") == "emit ")
    }

    @Test func joinCompletesRoomsThenSocketIDs() {
        #expect(CommandCompleter.complete("join lo", source: source).candidates == ["lobby", "lounge"])
        #expect(CommandCompleter.complete("join lo", source: source).apply(to: "join lo") == "join lo")
        #expect(CommandCompleter.complete("join lob", source: source).apply(to: "join lob") == "join lobby ")
        #expect(CommandCompleter.complete("join lobby A", source: source).candidates == ["AbcSocket1", "AbdSocket2"])
        #expect(CommandCompleter.complete("join lobby Abc", source: source).apply(to: "join lobby Abc") == "join lobby AbcSocket1 ")
        #expect(CommandCompleter.complete("kick! Abd", source: source).candidates == ["AbdSocket2"])
    }

    @Test func emitCompletesOptionsTargetsNamespacesAndEvents() {
        #expect(CommandCompleter.complete("emit --", source: source).candidates == ["--ack", "--nsp", "--to"])
        #expect(CommandCompleter.complete("emit --to ", source: source).candidates == ["AbcSocket1", "AbdSocket2", "lobby", "lounge", "房间"])
        #expect(CommandCompleter.complete("emit --nsp /a", source: source).candidates == ["/admin"])
        #expect(CommandCompleter.complete("emit --to lobby c", source: source).candidates == ["chat"])
        #expect(CommandCompleter.complete("emit chat ", source: source).candidates.isEmpty)
    }

    @Test func filterCompletesKeysAndTheirValues() {
        #expect(CommandCompleter.complete("filter ", source: source).candidates == ["clear", "dir:", "event:", "nsp:", "room:", "socket:"])
        #expect(CommandCompleter.complete("filter ev", source: source).apply(to: "filter ev") == "filter event:")
        #expect(CommandCompleter.complete("filter event:p", source: source).candidates == ["event:ping"])
        #expect(CommandCompleter.complete("filter room:", source: source).candidates == ["room:lobby", "room:lounge", "room:房间"])
        #expect(CommandCompleter.complete("filter dir:o", source: source).candidates == ["dir:out"])
    }

    @Test func themeCompletesThemeNames() {
        #expect(CommandCompleter.complete("theme h", source: source).apply(to: "theme h") == "theme high-contrast ")
        #expect(CommandCompleter.complete("theme ", source: source).candidates == ["dark", "high-contrast", "light"])
    }

    @Test func nothingMatchingLeavesTheLineAlone() {
        let completion = CommandCompleter.complete("join zz", source: source)
        #expect(completion.candidates.isEmpty)
        #expect(completion.apply(to: "join zz") == "join zz")
    }
}

@Suite struct CommandHistoryTests {
    @Test func upAndDownBrowseAndKeepTheDraft() {
        var history = CommandHistory()
        history.record("join a")
        history.record("kick b")
        history.record("kick b")
        history.record("  ")
        #expect(history.entries == ["join a", "kick b"])
        #expect(history.previous(current: "em") == "kick b")
        #expect(history.previous(current: "ignored") == "join a")
        #expect(history.previous(current: "ignored") == nil)
        #expect(history.next() == "kick b")
        #expect(history.next() == "em")
        #expect(history.next() == nil)
    }

    @Test func historyIsBounded() {
        var history = CommandHistory(capacity: 3)
        for number in 0..<10 { history.record("c\(number)") }
        #expect(history.entries == ["c7", "c8", "c9"])
    }
}

@Suite struct LineEditorTests {
    @Test func editingKeysWorkAroundTheCursor() {
        var editor = LineEditor("emit chat")
        editor.home()
        editor.insert(":")
        #expect(editor.text == ":emit chat")
        editor.end()
        editor.deleteWordBackward()
        #expect(editor.text == ":emit ")
        editor.left()
        editor.backspace()
        #expect(editor.text == ":emi ")
        editor.killToStart()
        #expect(editor.text == " " && editor.cursor == 0)
        editor.set("房间 x")
        editor.left()
        editor.killToEnd()
        #expect(editor.text == "房间 ")
        editor.replaceBeforeCursor("join 房间 ")
        #expect(editor.textBeforeCursor == "join 房间 ")
    }
}
