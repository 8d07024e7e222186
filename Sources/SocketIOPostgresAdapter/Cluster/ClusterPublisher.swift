import Logging
import Metrics
import NIOConcurrencyHelpers

/// Publishes cluster messages one at a time, in the order they were queued, so a join
/// followed by a broadcast reaches the other servers in that order. Never blocks the
/// caller: the queue is bounded and failures are logged and counted, not thrown.
final class ClusterPublisher: Sendable {
    private let continuation: AsyncStream<ClusterMessage>.Continuation
    private let done: Task<Void, Never>
    private let failures = NIOLockedValueBox(0)

    init(bus: any ClusterBus, logger: Logger, capacity: Int = 100_000) {
        let (stream, continuation) = AsyncStream.makeStream(of: ClusterMessage.self, bufferingPolicy: .bufferingOldest(capacity))
        self.continuation = continuation
        let failures = self.failures
        done = Task {
            for await message in stream {
                do {
                    try await bus.publish(message)
                } catch {
                    failures.withLockedValue { $0 += 1 }
                    Counter(label: "socketio_cluster_publish_failures_total", dimensions: [("reason", "error")]).increment()
                    logger.warning("cluster publish failed", metadata: ["type": "\(message.type)", "error": "\(error)"])
                }
            }
        }
    }

    /// Queues `message`; dropped (and counted) when the queue is full.
    func enqueue(_ message: ClusterMessage) {
        if case .dropped = continuation.yield(message) {
            failures.withLockedValue { $0 += 1 }
            Counter(label: "socketio_cluster_publish_failures_total", dimensions: [("reason", "queue_full")]).increment()
        }
    }

    /// Messages that could not be published.
    var failureCount: Int { failures.withLockedValue { $0 } }

    /// Publishes what is queued, then stops.
    func finish() async {
        continuation.finish()
        await done.value
    }
}
