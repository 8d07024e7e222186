import NIOConcurrencyHelpers
import SocketIO
@testable import SocketIOPostgresAdapter

/// A cluster bus inside one process: what one server publishes, every subscriber of the
/// namespace receives, in order. `isolate` cuts a server off, as a crashed one would be.
final class InProcessBus: Sendable {
    private struct Subscriber {
        let member: Int
        let handler: @Sendable (ClusterMessage) -> Void
    }
    private let subscribers = NIOLockedValueBox([String: [Subscriber]]())
    private let isolated = NIOLockedValueBox(Set<Int>())
    let published = NIOLockedValueBox([ClusterMessage]())

    /// The bus as seen by server number `member`.
    func member(_ member: Int) -> Member { Member(bus: self, member: member) }

    /// Stops every message from and to `member`.
    func isolate(_ member: Int) { isolated.withLockedValue { _ = $0.insert(member) } }

    struct Member: ClusterBus {
        let bus: InProcessBus
        let member: Int

        func publish(_ message: ClusterMessage) async throws {
            let cut = bus.isolated.withLockedValue { $0 }
            guard !cut.contains(member) else { return }
            bus.published.withLockedValue { $0.append(message) }
            // Through JSON text, as NOTIFY would carry it, so shapes are exercised.
            let decoded = ClusterMessage(json: try JSONValue(parsing: try message.json.jsonString()))!
            for subscriber in bus.subscribers.withLockedValue({ $0[message.nsp] ?? [] }) where !cut.contains(subscriber.member) {
                subscriber.handler(decoded)
            }
        }

        func subscribe(namespace: String, _ handler: @escaping @Sendable (ClusterMessage) -> Void) async {
            bus.subscribers.withLockedValue { $0[namespace, default: []].append(Subscriber(member: member, handler: handler)) }
        }

        func unsubscribe(namespace: String) async {
            bus.subscribers.withLockedValue { $0[namespace]?.removeAll { $0.member == member } }
        }
    }
}
