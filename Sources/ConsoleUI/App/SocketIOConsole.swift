public import Monitor
public import SocketIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The console's options.
public struct ConsoleOptions: Sendable {
    /// A theme name (searched in ``themeSearchPaths``) or a theme file's path.
    public var theme = "dark"
    /// Refuse every acting command and key (join, leave, kick, emit).
    public var readOnly = false
    /// Where stdout and stderr go while the full screen is up (also SwiftLog's file when
    /// the executable sets it up); `nil` discards them.
    public var logFile: String?
    /// The address shown in the header (`127.0.0.1:3000/socket.io/`).
    public var address = "embedded"
    /// Whether `q` warns that the server stops too (the `sioconsole` executable).
    public var quitStopsServer = false
    /// Folders searched for themes; `nil` for the defaults.
    public var themeSearchPaths: [String]?
    /// Buffer sizes and sampling of the monitor.
    public var monitor = MonitorConfiguration()
    /// Reads the cluster adapter when the server runs on a cluster: the console then shows
    /// the nodes (`n`, `:nodes`) and the other servers' sockets; `nil` for a single node.
    public var cluster: (any ClusterProbe)?

    /// Creates the default options.
    public init() {}
}

/// Why ``SocketIOConsole/run()`` returned.
public enum ConsoleExit: Sendable, Equatable {
    /// The operator quit.
    case quit
    /// A signal (SIGINT, SIGTERM, SIGHUP) asked to stop.
    case signal(Int32)
    /// Standard input ended (headless only).
    case endOfInput
}

/// The administration console of a running ``SocketIOServer``, in the same process.
///
/// ```swift
/// let io = SocketIOServer(options: options)
/// try await io.listen(host: "127.0.0.1", port: 3000)
/// let console = SocketIOConsole(server: io, options: .init())
/// try console.run()   // blocks until the operator quits; the terminal is restored
/// ```
///
/// ``run()`` takes over the terminal (ncurses) on the calling thread and blocks. The
/// server keeps running on its own event loops; the console only reads its public hooks
/// and acts through its public API. Call it from the main thread or a dedicated thread,
/// not from an async task (it blocks). ``runHeadless(banner:stopAtEndOfInput:)`` is the same console
/// without a screen: JSON lines on stdout, commands on stdin.
public final class SocketIOConsole: Sendable {
    /// The options.
    public let options: ConsoleOptions
    /// Where the model comes from (started by ``run()`` or ``runHeadless(banner:stopAtEndOfInput:)``).
    public let feed: any MonitorFeed
    /// Carries out the acting commands.
    public let actions: any ConsoleActions
    /// The monitor of the server in this process, when the feed is one.
    public var monitor: Monitor? { feed as? Monitor }

    /// Creates a console for `server`, in this process.
    ///
    /// - Parameters:
    ///   - server: A server, listening or not yet.
    ///   - options: Theme, read-only, log file.
    public convenience init(server: SocketIOServer, options: ConsoleOptions = ConsoleOptions()) {
        let monitor = Monitor(server: server, configuration: options.monitor, cluster: options.cluster)
        self.init(feed: monitor, actions: ActionExecutor(monitor: monitor, readOnly: options.readOnly), options: options)
    }

    /// Creates a console over any feed: a server attached over the Admin UI protocol
    /// (`AdminFeed` and `AdminActions`), or one's own.
    ///
    /// - Parameters:
    ///   - feed: Where the model comes from.
    ///   - actions: Carries out acting commands (its ``ConsoleActions/readOnly`` wins over the options').
    ///   - options: Theme, log file, header address.
    public init(feed: any MonitorFeed, actions: any ConsoleActions, options: ConsoleOptions = ConsoleOptions()) {
        self.feed = feed
        self.actions = actions
        self.options = options
    }

    /// Creates a console for `server` with a theme (the design's short form).
    ///
    /// - Parameters:
    ///   - server: A server, listening or not yet.
    ///   - theme: A theme name or a theme file's path.
    ///   - readOnly: Refuse every acting command and key.
    public convenience init(server: SocketIOServer, theme: String, readOnly: Bool = false) {
        var options = ConsoleOptions()
        options.theme = theme
        options.readOnly = readOnly
        self.init(server: server, options: options)
    }

    /// Runs the full-screen console until the operator quits or a stop signal arrives.
    ///
    /// - Returns: Why it stopped.
    /// - Throws: ``ConsoleError`` when the terminal cannot be used (not a terminal, unknown
    ///   `TERM`, bad theme); nothing was drawn then.
    @discardableResult
    public func run() throws(ConsoleError) -> ConsoleExit {
        let library = ThemeLibrary(searchPaths: options.themeSearchPaths)
        let theme: Theme
        do {
            theme = try library.load(options.theme)
        } catch {
            throw ConsoleError("theme: \(error)")
        }
        SignalTrap.reset()
        SignalTrap.trapStopSignals()
        defer { SignalTrap.releaseStopSignals() }
        let terminal = try CursesTerminal(theme: theme, logPath: options.logFile)
        defer { terminal.end() }
        feed.start()
        let controller = ConsoleController(feed: feed, actions: actions, address: options.address, theme: theme,
                                           library: library, quitStopsServer: options.quitStopsServer)
        controller.onThemeChange = { terminal.apply(theme: $0) }
        var exit = ConsoleExit.quit
        var lastFrame: Int64 = 0
        while !controller.wantsQuit {
            let signal = SignalTrap.pending
            if signal != 0 {
                exit = .signal(signal)
                break
            }
            controller.tick()
            // Input redraws at once; traffic alone at most every 100 ms, so a flood costs the
            // console (and the terminal) ten frames a second, not one per packet batch.
            let now = WallClock.nanoseconds()
            let due = controller.redrawNow || controller.needsRepaint || now - lastFrame >= 100_000_000
            if (controller.needsRedraw || controller.needsRepaint) && due {
                lastFrame = now
                var canvas = CursesCanvas(terminal: terminal)
                ConsoleRenderer.draw(&controller.model, on: &canvas, keymap: controller.keymap)
                if let cursor = canvas.cursor {
                    terminal.showCursor(row: cursor.row, column: cursor.column, visible: true)
                } else {
                    terminal.showCursor(row: 0, column: 0, visible: false)
                }
                terminal.refresh(clearFirst: controller.needsRepaint)
                controller.needsRedraw = false
                controller.needsRepaint = false
                controller.redrawNow = false
            }
            // Waits up to one tick (50 ms) for input; that wait is the loop's pace.
            guard let event = terminal.readKey() else { continue }
            switch event {
            case .key(let key): controller.handle(key)
            case .mouse(let action, let row, let column): controller.handleMouse(action, row: row, column: column)
            case .resize:
                controller.needsRepaint = true
                controller.redrawNow = true
            }
        }
        terminal.end()
        return exit
    }

    /// Runs the console without a screen: every stream entry as a JSON line on standard
    /// output, commands (without the colon) read line by line from standard input.
    ///
    /// - Parameters:
    ///   - banner: A JSON line written first (the executable's `listening` line).
    ///   - stopAtEndOfInput: Return when standard input ends (otherwise keep serving until
    ///     `quit` or a signal).
    /// - Returns: Why it stopped.
    @discardableResult
    public func runHeadless(banner: String? = nil, stopAtEndOfInput: Bool = false) -> ConsoleExit {
        let headless = HeadlessConsole(feed: feed, actions: actions, input: 0, output: 1)
        SignalTrap.reset()
        SignalTrap.trapStopSignals()
        defer { SignalTrap.releaseStopSignals() }
        feed.start()
        return headless.run(banner: banner, stopAtEndOfInput: stopAtEndOfInput)
    }
}
