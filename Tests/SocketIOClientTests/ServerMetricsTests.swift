import Metrics
import MetricsTestKit
import SocketIO
import SocketIOClient
import Testing
import TestSupport

/// One metrics backend for the whole test process (swift-metrics is bootstrapped once).
let testMetrics: TestMetrics = {
    let metrics = TestMetrics()
    MetricsSystem.bootstrap(metrics)
    return metrics
}()

/// What the server reports by itself: acks that never came, packets it did not send.
@Suite struct ServerMetricsTests {
    private func count(_ label: String, _ dimensions: [(String, String)]) -> Int64 {
        (try? testMetrics.expectCounter(label, dimensions).totalValue) ?? 0
    }

    @Test func anAckThatNeverComesIsCounted() async throws {
        _ = testMetrics
        let namespace = "/ack-timeouts-\(UInt32.random(in: 0...UInt32.max))"
        let outcome = Signal<Bool>()
        try await withServer(configure: { server in
            server.of(namespace).onConnection { socket in
                try? socket.timeout(.milliseconds(50)).emit("question", ["silence"]) { result in
                    outcome.set((try? result.get()) == nil)
                }
            }
        }) { _, port in
            var options = SocketIOClientOptions()
            options.reconnection = false
            let manager = try Manager("http://127.0.0.1:\(port)", options: options)
            // The client has no handler for "question": it never acknowledges.
            manager.socket(namespace).connect()
            #expect(await outcome.wait() == true)
            #expect(count("socketio_ack_timeouts_total", [("namespace", namespace)]) == 1)
            await manager.shutdown()
        }
    }
}
