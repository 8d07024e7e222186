import EngineIO
import NIOConcurrencyHelpers
import SocketIO
import Testing

@testable import SocketIOAdmin
@testable import TestSupport

/// A clock the test sets: wall-clock milliseconds and uptime stay where the test puts them.
final class TestAdminClock: Sendable {
    private let state = NIOLockedValueBox((milliseconds: Int64(1_700_000_000_500), uptime: 42.5))

    var clock: AdminClock {
        AdminClock(
            millisecondsSince1970: { self.state.withLockedValue { $0.milliseconds } },
            uptimeSeconds: { self.state.withLockedValue { $0.uptime } }
        )
    }

    func set(milliseconds: Int64, uptime: Double) {
        state.withLockedValue { $0 = (milliseconds, uptime) }
    }
}

/// Runs `body` against an instrumented server on 127.0.0.1 at a free port, without timers
/// (the test calls what they would call) and on the test's clock; closes the server after.
func withInstrumentedServer(
    _ options: AdminOptions = AdminOptions(auth: .none),
    clock: TestAdminClock = TestAdminClock(),
    _ body: (SocketIOServer, AdminInstrumentation, Int) async throws -> Void
) async throws {
    let io = SocketIOServer()
    let admin = try AdminInstrumentation(server: io, options: options, clock: clock.clock, startsTimers: false)
    let port = try await io.listen(host: "127.0.0.1", port: 0)
    do {
        try await body(io, admin, port)
    } catch {
        await io.close()
        throw error
    }
    await io.close()
}

extension TestSocketIOClient {
    /// Reads packets until an event named `name` on `namespace` whose arguments `matches`
    /// accepts; returns its arguments (JSON only: these tests send no binary).
    func event(
        _ name: String,
        namespace: String = "/admin",
        where matches: ([JSONValue]) -> Bool = { _ in true },
        timeout: Duration = .seconds(10)
    ) async throws -> [JSONValue] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw TestClientError.timeout }
            let packet = try await nextPacket(timeout: remaining)
            guard packet.kind.isEvent, packet.namespace == namespace,
                  case .array(let items) = try JSONValue(parsing: packet.payload),
                  items.first == .string(name)
            else { continue }
            let arguments = Array(items.dropFirst())
            if matches(arguments) { return arguments }
        }
    }
}
