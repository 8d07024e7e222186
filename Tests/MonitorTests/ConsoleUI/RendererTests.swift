@testable import Monitor
import SocketIO
import Testing
@testable import ConsoleUI

/// A model filled the way a few clients would fill it.
func sampleModel(readOnly: Bool = false) -> ConsoleModel {
    TextWidth.ensureUTF8Locale()
    var state = MonitorState()
    state.apply(.namespaceCreated("/"), time: 1)
    state.apply(.namespaceCreated("/admin"), time: 1)
    state.apply(Records.connect("AliceSocketId0000001", issued: 1_000), time: 2)
    state.apply(Records.connect("BobSocketId000000002", issued: 2_000), time: 3)
    state.apply(Records.connect("AdminSocketId0000003", namespace: "/admin", issued: 3_000), time: 4)
    state.apply(.joined(namespace: "/", room: "房间", socketID: "AliceSocketId0000001"), time: 5)
    state.apply(.joined(namespace: "/", room: "lobby", socketID: "BobSocketId000000002"), time: 6)
    state.apply(.joined(namespace: "/", room: "\u{1B}[2J\u{1B}]0;x\u{07}", socketID: "BobSocketId000000002"), time: 7)
    state.append(Records.event(.inbound, "AliceSocketId0000001", "\u{1B}[2J\u{1B}]0;x\u{07}", [.string("\u{1B}[2J\u{1B}]0;x\u{07}")], time: 8))
    state.append(Records.event(.outbound, "BobSocketId000000002", "news", [.string("早上好")], time: 9))
    var model = ConsoleModel(state: state, address: "127.0.0.1:3000/socket.io/", readOnly: readOnly, themeName: "dark", startedAt: 0)
    model.view.update(model.state)
    return model
}

@Suite struct RendererTests {
    @Test func theMainScreenShowsHeaderTreeSocketsAndStreamAt80x24() {
        var model = sampleModel()
        var canvas = GridCanvas(rows: 24, columns: 80)
        ConsoleRenderer.draw(&model, on: &canvas, keymap: Keymap(), now: 10_000_000_000)
        let screen = canvas.lines.joined(separator: "\n")
        #expect(canvas.lines[0].hasPrefix(" sioconsole 127.0.0.1:3000/socket.io/"))
        #expect(screen.contains("/ 2") && screen.contains("/admin 1"))
        #expect(screen.contains("# lobby"))
        #expect(screen.contains("# 房间"))
        #expect(screen.contains("AliceSocketId0000001"))
        #expect(screen.contains("news"))
        #expect(screen.contains("早上好"))
        #expect(canvas.lines[23].contains("Quit"))
        // Every line is exactly 80 cells wide: wide characters count twice.
        for row in 0..<24 {
            #expect(canvas.cells[row].count == 80)
            #expect(TextWidth.width(of: canvas.lines[row]) == 80, "row \(row): \(canvas.lines[row])")
        }
    }

    @Test func clientTextNeverReachesTheScreenRaw() {
        var model = sampleModel()
        var canvas = GridCanvas(rows: 30, columns: 120)
        ConsoleRenderer.draw(&model, on: &canvas, keymap: Keymap(), now: 10_000_000_000)
        let screen = canvas.lines.joined(separator: "\n")
        #expect(!screen.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(screen.contains("\\x1B[2J\\x1B]0;x\\x07"))
        #expect(screen.contains(#""\u001b[2J\u001b]0;x\u0007""#))
    }

    @Test func widePaneBordersLineUpWithCJKRoomNames() {
        var model = sampleModel()
        var canvas = GridCanvas(rows: 24, columns: 100)
        ConsoleRenderer.draw(&model, on: &canvas, keymap: Keymap(), now: 10_000_000_000)
        let treeRight = model.layout.tree.width - 1
        for row in (model.layout.tree.top + 1)..<(model.layout.tree.top + model.layout.tree.height - 1) {
            // The character at the tree's right border column is the border, on every row.
            #expect(canvas.cells[row][treeRight].character == "│", "row \(row): \(canvas.lines[row])")
        }
    }

    @Test func anySizeDrawsWithoutCrashingAndTinyScreensSaySo() {
        for (rows, columns) in [(1, 1), (2, 10), (9, 39), (10, 40), (12, 50), (24, 80), (50, 200), (5, 300)] {
            var model = sampleModel()
            model.overlay = rows % 2 == 0 ? .help : nil
            var canvas = GridCanvas(rows: rows, columns: columns)
            ConsoleRenderer.draw(&model, on: &canvas, keymap: Keymap(), now: 10_000_000_000)
            #expect(canvas.lines.count == rows)
            if rows < 10 || columns < 40 {
                #expect(model.layout.tooSmall)
                if columns >= 12 { #expect(canvas.lines.joined().contains("sioconsole")) }
            }
        }
    }

    @Test func overlaysShowDetailsPacketsAndHelp() throws {
        var model = sampleModel()
        model.overlay = .details("AliceSocketId0000001")
        var canvas = GridCanvas(rows: 40, columns: 100)
        ConsoleRenderer.draw(&model, on: &canvas, keymap: Keymap(), now: 10_000_000_000)
        var screen = canvas.lines.joined(separator: "\n")
        #expect(screen.contains("Handshake"))
        #expect(screen.contains("/socket.io/?EIO=4"))
        #expect(screen.contains("房间"))
        let eventID = try #require(model.state.log.all.first { $0.kind == .event }?.id)
        model.overlay = .packet(eventID)
        ConsoleRenderer.draw(&model, on: &canvas, keymap: Keymap(), now: 10_000_000_000)
        screen = canvas.lines.joined(separator: "\n")
        #expect(screen.contains("Payload (1 argument)"))
        #expect(screen.contains(#""\u001b[2J\u001b]0;x\u0007""#))
        model.overlay = .help
        ConsoleRenderer.draw(&model, on: &canvas, keymap: Keymap(), now: 10_000_000_000)
        screen = canvas.lines.joined(separator: "\n")
        #expect(screen.contains("kick the selected socket"))
        model.overlayScroll = 1_000
        ConsoleRenderer.draw(&model, on: &canvas, keymap: Keymap(), now: 10_000_000_000)
        screen = canvas.lines.joined(separator: "\n")
        #expect(screen.contains("emit [--to room|socket-id]"))
        #expect(model.overlayScroll < 1_000)
    }

    @Test func theCommandLineShowsTheCursorAndScrollsLongText() {
        var model = sampleModel()
        model.prompt = .command(LineEditor("emit --to lobby " + String(repeating: "x", count: 100)))
        var canvas = GridCanvas(rows: 24, columns: 80)
        ConsoleRenderer.draw(&model, on: &canvas, keymap: Keymap(), now: 10_000_000_000)
        #expect(canvas.cursor?.row == 22)
        #expect((canvas.cursor?.column ?? 0) < 80)
        #expect(canvas.lines[22].hasPrefix(":"))
        #expect(canvas.lines[23].contains("Complete"))
    }
}

@Suite struct ControllerFlowTests {
    /// A controller on a real server (no clients), for key flows that act on the model.
    static func controller(readOnly: Bool = false) async throws -> (ConsoleController, SocketIOServer) {
        TextWidth.ensureUTF8Locale()
        let io = SocketIOServer()
        _ = try await io.listen(host: "127.0.0.1", port: 0)
        let monitor = Monitor(server: io)
        monitor.start()
        let controller = ConsoleController(monitor: monitor, address: "test", readOnly: readOnly, theme: ThemeLibrary.fallback,
                                           library: ThemeLibrary(searchPaths: []), quitStopsServer: true)
        controller.tick()
        return (controller, io)
    }

    static func type(_ text: String, into controller: ConsoleController) {
        for character in text { controller.handle(.character(character)) }
    }

    @Test func theFilterPromptAppliesLiveAndEscapeRestores() async throws {
        let (controller, io) = try await Self.controller()
        defer { Task { await io.close() } }
        controller.handle(.character("/"))
        Self.type("dir:in", into: controller)
        #expect(controller.model.view.filter == LogFilter(direction: .inbound))
        controller.handle(.escape)
        #expect(controller.model.view.filter.isEmpty)
        #expect(controller.model.prompt == nil)
        controller.handle(.character("/"))
        Self.type("event:chat", into: controller)
        controller.handle(.enter)
        #expect(controller.model.view.filter == LogFilter(event: "chat"))
        controller.handle(.character("\\"))
        #expect(controller.model.view.filter.isEmpty)
    }

    @Test func commandsRunFromThePromptWithHistoryAndCompletion() async throws {
        let (controller, io) = try await Self.controller()
        defer { Task { await io.close() } }
        controller.handle(.character(":"))
        Self.type("th", into: controller)
        controller.handle(.tab)
        #expect(controller.model.prompt == .command(LineEditor("theme ")))
        Self.type("light", into: controller)
        controller.handle(.enter)
        #expect(controller.theme.name == "light")
        #expect(controller.model.message?.text == "theme light")
        controller.handle(.character(":"))
        controller.handle(.up)
        #expect(controller.model.prompt == .command(LineEditor("theme light")))
        controller.handle(.escape)
        controller.run("bogus")
        #expect(controller.model.message?.isError == true)
        controller.run("pause")
        #expect(controller.model.view.isPaused)
        controller.handle(.character("p"))
        #expect(!controller.model.view.isPaused)
    }

    @Test func kickKeysAskFirstAndReadOnlyRefuses() async throws {
        let (controller, io) = try await Self.controller(readOnly: true)
        defer { Task { await io.close() } }
        controller.model.focus = .sockets
        controller.handle(.character("k"))
        #expect(controller.model.message?.text.hasPrefix("read-only") == true)
        #expect(controller.model.prompt == nil)
        controller.run("kick someone")
        #expect(controller.model.message?.text.hasPrefix("read-only") == true)
        controller.handle(.character("q"))
        guard case .confirm(_, .quit)? = controller.model.prompt else {
            Issue.record("q did not ask")
            return
        }
        controller.handle(.character("n"))
        #expect(!controller.wantsQuit)
        controller.handle(.character("q"))
        controller.handle(.character("y"))
        #expect(controller.wantsQuit)
    }

    @Test func panesCycleAndOverlaysOpenAndClose() async throws {
        let (controller, io) = try await Self.controller()
        defer { Task { await io.close() } }
        #expect(controller.model.focus == .tree)
        controller.handle(.tab)
        #expect(controller.model.focus == .sockets)
        controller.handle(.tab)
        #expect(controller.model.focus == .log)
        controller.handle(.backTab)
        #expect(controller.model.focus == .sockets)
        controller.handle(.character("?"))
        #expect(controller.model.overlay == .help)
        controller.handle(.escape)
        #expect(controller.model.overlay == nil)
        controller.handle(.character("k"))
        #expect(controller.model.message?.text == "select a socket first")
    }
}
