import Foundation
import Monitor
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The console without a screen (`--headless`): each stream entry is written as a JSON
/// line on standard output (``LogEntry/jsonLine()``), commands are read line by line from
/// standard input, and each command is answered with a JSON line of type `reply` (or
/// `sockets`, `rooms`, `socket`, `nodes`, `help`). For scripts and CI.
final class HeadlessConsole {
    let feed: any MonitorFeed
    let executor: any ConsoleActions
    let output: Int32
    let input: Int32
    private var state: MonitorState
    private var view = LogView()
    private var printedThrough: UInt64 = 0

    init(feed: any MonitorFeed, actions: any ConsoleActions, input: Int32, output: Int32) {
        self.feed = feed
        self.executor = actions
        self.input = input
        self.output = output
        state = MonitorState(configuration: feed.configuration)
    }

    func run(banner: String?, stopAtEndOfInput: Bool) -> ConsoleExit {
        if let banner { emit(banner) }
        let lines = LineQueue()
        let input = self.input
        let reader = Thread {
            BoundedLineReader(descriptor: input).run { lines.push($0) }
            lines.finish()
        }
        reader.name = "sioconsole-stdin"
        reader.start()
        var inputEnded = false
        while true {
            let signal = SignalTrap.pending
            if signal != 0 { return .signal(signal) }
            if drain() { view.update(state) }
            flushEntries()
            let (pending, finished) = lines.take()
            for item in pending {
                guard case .line(let line) = item else {
                    if case .tooLong(let bytes) = item {
                        reply("input", ok: false, message: "a line of \(bytes) bytes is over the 65536-byte limit: ignored")
                    }
                    continue
                }
                if handle(line) == .quit {
                    flushEntries()
                    return .quit
                }
                if drain() { view.update(state) }
                flushEntries()
            }
            if finished, !inputEnded {
                inputEnded = true
                if stopAtEndOfInput { return .endOfInput }
            }
            usleep(20_000)
        }
    }

    /// Drains the feed; a change of the link to an attached server is written as a line of
    /// type `link` before the entries.
    private func drain() -> Bool {
        let before = state.link
        let changed = feed.drain(into: &state)
        if let link = state.link, link != before { emit(MonitorJSON.link(link)) }
        return changed
    }

    private func flushEntries() {
        let visible = view.visible
        var start = visible.endIndex
        while start > visible.startIndex, visible[start - 1] > printedThrough { start -= 1 }
        guard start < visible.endIndex else { return }
        // One write for the whole batch.
        var batch = ""
        for id in visible[start...] {
            guard let entry = state.log.entry(id: id) else { continue }
            batch += entry.jsonLine()
            batch += "\n"
        }
        printedThrough = visible[visible.endIndex - 1]
        if !batch.isEmpty { emit(String(batch.dropLast())) }
    }

    private enum Flow { case next, quit }

    private func handle(_ line: String) -> Flow {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return .next }
        let command: ConsoleCommand
        do {
            command = try CommandParser.parse(trimmed)
        } catch {
            reply(trimmed, ok: false, message: error.message)
            return .next
        }
        switch command {
        case .join, .leave, .kick, .emit:
            let outcome = executor.perform(command, selection: .none, state: state)
            reply(command.name, ok: !outcome.isError, message: outcome.message)
        case .filter(.show):
            reply("filter", ok: true, message: view.filter.isEmpty ? "no filter" : view.filter.description)
        case .filter(.clear):
            view.setFilter(LogFilter(), state: state)
            printedThrough = state.log.lastID ?? printedThrough
            reply("filter", ok: true, message: "filter cleared")
        case .filter(.set(let filter)):
            view.setFilter(filter, state: state)
            printedThrough = state.log.lastID ?? printedThrough
            reply("filter", ok: true, message: "filter: " + filter.description)
        case .theme:
            reply("theme", ok: false, message: "themes apply to the full-screen console, not --headless")
        case .export(let path):
            let outcome = ActionExecutor.export(state.log.all, to: path)
            reply("export", ok: !outcome.isError, message: outcome.message)
        case .help:
            let commands = CommandReference.entries.map { entry in
                var object = MonitorJSON.Object()
                object.add("syntax", entry.syntax)
                object.add("summary", entry.summary)
                object.add("acting", entry.acting)
                return object.text
            }
            var object = MonitorJSON.Object()
            object.add("type", "help")
            object.addRaw("commands", "[" + commands.joined(separator: ",") + "]")
            emit(object.text)
        case .quit:
            reply("quit", ok: true, message: "bye")
            return .quit
        case .pause:
            view.pause(state)
            reply("pause", ok: true, message: "stream paused (still recording)")
        case .resume:
            view.resume()
            reply("resume", ok: true, message: "stream resumed")
        case .sockets(let namespace):
            let rows = state.socketIDs(namespace: namespace).compactMap { state.sockets[$0] }.map { MonitorJSON.socket($0, state: state) }
            var object = MonitorJSON.Object()
            object.add("type", "sockets")
            object.add("nsp", namespace)
            object.addRaw("sockets", "[" + rows.joined(separator: ",") + "]")
            emit(object.text)
        case .rooms(let namespace):
            var rows: [String] = []
            for name in state.namespaceNames where namespace == nil || namespace == name {
                for room in state.rooms(in: name, includePrivate: false) {
                    rows.append(MonitorJSON.room(room, namespace: name, members: state.members(of: room.name, in: name)))
                }
            }
            var object = MonitorJSON.Object()
            object.add("type", "rooms")
            object.add("nsp", namespace)
            object.addRaw("rooms", "[" + rows.joined(separator: ",") + "]")
            emit(object.text)
        case .nodes:
            emit(MonitorJSON.nodes(state: state, now: WallClock.nanoseconds()))
        case .show(let id):
            guard let socket = state.resolveSocket(id) else {
                reply("show", ok: false, message: "no socket " + Sanitizer.clean(id, limit: 40))
                return .next
            }
            var object = MonitorJSON.Object()
            object.add("type", "socket")
            object.addRaw("socket", MonitorJSON.socket(socket, state: state, details: true))
            emit(object.text)
        }
        return .next
    }

    private func reply(_ command: String, ok: Bool, message: String) {
        var object = MonitorJSON.Object()
        object.add("type", "reply")
        object.add("command", command)
        object.add("ok", ok)
        object.add("message", message)
        emit(object.text)
    }

    private func emit(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(10)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}

/// Lines read by the stdin thread, waiting for the console's loop.
final class LineQueue: Sendable {
    private struct State {
        var lines: [HeadlessInput] = []
        var finished = false
    }
    private let state = Mutex(State())

    func push(_ line: HeadlessInput) {
        state.withLock { $0.lines.append(line) }
    }

    func finish() {
        state.withLock { $0.finished = true }
    }

    func take() -> (lines: [HeadlessInput], finished: Bool) {
        state.withLock { state in
            defer { state.lines = [] }
            return (state.lines, state.finished)
        }
    }
}
