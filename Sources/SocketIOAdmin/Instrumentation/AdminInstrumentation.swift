import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
public import SocketIO
import Synchronization

/// A server instrumented for the Admin UI protocol (what Node's `instrument` sets up): the
/// admin namespace, its middleware and commands, the listeners that report sockets, rooms
/// and events, and the `server_stats` timer. Made by ``instrument(_:options:)``.
public final class AdminInstrumentation: Sendable {
    /// The instrumented server.
    public let server: SocketIOServer
    /// The options it runs with.
    public let options: AdminOptions
    /// The admin namespace.
    public let adminNamespace: Namespace
    /// The features advertised in `config`.
    public let supportedFeatures: [AdminFeature]
    /// This server's id in `server_stats`.
    public let serverId: String

    let clock: AdminClock
    let traffic = TrafficCounters()
    let watchers = AdminWatchers()
    let taps = EventTaps()
    let eventBudget: EventReportBudget
    let packetCounting = NIOLockedValueBox(PacketCounting())
    let authenticator: AdminAuthenticator?
    let logger = Logger(label: "socket.io-admin")
    private let dropped = Atomic<Int>(0)
    private let overBudgetSaid = Atomic<Bool>(false)
    private let timers = NIOLockedValueBox<[RepeatedTask]>([])
    private let hostname = ProcessInfo.processInfo.hostName
    private let pid = Int64(ProcessInfo.processInfo.processIdentifier)

    /// The name of the `serverSideEmit` with which a server that has admin clients tells the
    /// others to keep reporting every event (ours; servers that do not know it ignore it).
    static let watchingEvent = "admin:watching"

    init(server: SocketIOServer, options: AdminOptions, clock: AdminClock, startsTimers: Bool) throws {
        guard options.namespaceName.hasPrefix("/"), options.namespaceName.count > 1 else {
            throw AdminConfigurationError.invalidNamespace
        }
        switch options.auth {
        case .none:
            authenticator = nil
        case .basic(let username, let passwordHash):
            authenticator = AdminAuthenticator(username: username, hash: try BcryptHash(passwordHash), store: options.store)
        }
        self.server = server
        self.options = options
        self.clock = clock
        self.eventBudget = EventReportBudget(perSecond: options.maxEventReportsPerSecond)
        self.serverId = options.serverId ?? ProcessInfo.processInfo.hostName
        self.supportedFeatures = AdminFeature.advertised(readonly: options.readonly, mode: options.mode)
        self.adminNamespace = server.of(options.namespaceName)
        if authenticator == nil {
            logger.warning("authentication is disabled, please use with caution")
        }
        // The namespaces first: their connection listener must have written the admin's
        // bookkeeping into `data` before an admin client's own `all_sockets` is gathered.
        if options.mode == .development { watchNamespaces() }
        setUpAdminNamespace()
        watchEngine()
        if startsTimers { startTimers() }
    }

    /// How many events were not sent to admin clients that did not keep up.
    public var droppedEventCount: Int { dropped.load(ordering: .relaxed) }

    func countDroppedEvent() {
        let total = dropped.wrappingAdd(1, ordering: .relaxed).newValue
        // One line per thousand: a flood must not flood the log too.
        if total % 1000 == 1 {
            logger.warning("an admin client does not keep up: events dropped", metadata: ["dropped": "\(total)"])
        }
    }

    /// Counts an event report over ``AdminOptions/maxEventReportsPerSecond``: a drop like a
    /// slow client's, said once in the log (a flood would say it thousands of times a second).
    func countOverBudgetEvent() {
        dropped.wrappingAdd(1, ordering: .relaxed)
        if overBudgetSaid.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged {
            logger.notice("event reports over the budget are dropped (counted in server_stats' droppedAdminEvents)",
                          metadata: ["maxEventReportsPerSecond": "\(options.maxEventReportsPerSecond ?? 0)"])
        }
    }

    /// Stops the timers; the namespace and listeners stay (Node's instrumentation has no undo).
    public func shutdown() {
        let running = timers.withLockedValue { timers in
            defer { timers.removeAll() }
            return timers
        }
        for timer in running { timer.cancel() }
    }

    // MARK: Reporting

    /// Sends an event to every admin client of the cluster, through the admin namespace's adapter.
    func report(_ event: String, _ arguments: [JSONValue]) {
        try? adminNamespace.emit(event, arguments)
    }

    /// `server_stats` now (Node's `emitStats`).
    func emitServerStats() {
        report("server_stats", [serverStats()])
        if watchers.hasLocalClients {
            try? adminNamespace.serverSideEmit(Self.watchingEvent)
        }
    }

    func serverStats() -> JSONValue {
        let engineClients = server.engine.clients.values
        let namespaces = server.namespaces.values.sorted { $0.name < $1.name }.map { namespace -> JSONValue in
            .object(["name": .string(namespace.name), "socketsCount": .int(Int64(namespace.sockets.count))])
        }
        let stats: JSONObject = [
            "serverId": .string(serverId),
            "hostname": .string(hostname),
            "pid": .int(pid),
            "uptime": .double(clock.uptimeSeconds()),
            "clientsCount": .int(Int64(engineClients.count)),
            "pollingClientsCount": .int(Int64(engineClients.filter { $0.transportName == .polling }.count)),
            "aggregatedEvents": .array(traffic.drain(atMilliseconds: clock.millisecondsSince1970())),
            "namespaces": .array(namespaces),
            // Ours: what slow admin clients of this server missed. Stock clients ignore it.
            "droppedAdminEvents": .int(Int64(droppedEventCount)),
        ]
        return .object(stats)
    }

    /// Moves the traffic counts into their second and re-reads whether anyone watches.
    func tick() {
        traffic.sample(atMilliseconds: clock.millisecondsSince1970())
        watchers.refresh(nowMilliseconds: clock.uptimeMilliseconds)
        syncTaps()
    }

    private func startTimers() {
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        let interval = TimeAmount(options.serverStatsInterval)
        let sampling = loop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [weak self] _ in
            self?.tick()
        }
        let stats = loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [weak self] _ in
            self?.emitServerStats()
        }
        timers.withLockedValue { $0 = [sampling, stats] }
        // Node sends the first stats at once.
        loop.execute { [weak self] in self?.emitServerStats() }
    }
}
