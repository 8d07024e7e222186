import Foundation
import NIOConcurrencyHelpers
import SocketIO
@testable import SocketIOPostgresAdapter
import TestSupport
import Testing

/// The bus against the PostgreSQL the test command starts (`SIO_TEST_POSTGRES_URL`, set by
/// scripts/with-postgres.sh); without one these tests fail, they never skip.
@Suite struct PostgresClusterBusTests {
    private func bus(prefix: String) throws -> PostgresClusterBus {
        let url = try #require(ProcessInfo.processInfo.environment["SIO_TEST_POSTGRES_URL"],
                               "run under scripts/with-postgres.sh (scripts/test.sh does)")
        var options = PostgresAdapterOptions()
        options.channelPrefix = prefix
        return PostgresClusterBus(configuration: try PostgresURL.configuration(url), options: options)
    }

    /// A channel prefix of this test's own, so tests running at once do not hear each other.
    private func freshPrefix() -> String { "bus-test-\(UInt64.random(in: 0...UInt64.max))" }

    /// A server starts its namespaces together, each subscribing at once. Each subscription
    /// restarts the LISTEN loop; two loops left running would deliver every message twice
    /// (CI saw exactly that: a node's clients got each broadcast two times).
    @Test func namespacesSubscribingAtOnceShareOneListenConnection() async throws {
        let prefix = freshPrefix()
        let listener = try bus(prefix: prefix), publisher = try bus(prefix: prefix)
        let namespaces = (0..<8).map { "/n\($0)" }
        let received = NIOLockedValueBox<[String: Int]>([:])

        await withTaskGroup(of: Void.self) { group in
            for namespace in namespaces {
                group.addTask {
                    await listener.subscribe(namespace: namespace) { message in
                        received.withLockedValue { $0[message.nsp, default: 0] += 1 }
                    }
                }
            }
        }
        let everyChannel = Set(namespaces.map { "\(prefix)#\($0)" })
        #expect(await eventually { listener.listeningChannels == everyChannel })

        for namespace in namespaces {
            try await publisher.publish(ClusterMessage(uid: "publisher", nsp: namespace, type: .heartbeat))
        }
        #expect(await eventually { received.withLockedValue { $0.count } == namespaces.count })
        // A fence: one connection delivers in order, so once it arrives nothing else is coming.
        try await publisher.publish(ClusterMessage(uid: "publisher", nsp: "/n0", type: .heartbeat))
        #expect(await eventually { received.withLockedValue { $0["/n0"] } == 2 })

        #expect(listener.mostListenConnectionsAtOnce == 1)
        let counts = received.withLockedValue { $0 }
        #expect(counts == Dictionary(uniqueKeysWithValues: namespaces.map { ($0, $0 == "/n0" ? 2 : 1) }))
        await listener.close()
        await publisher.close()
    }

    /// A namespace going away (a dynamic one removed) leaves the others listening.
    @Test func unsubscribingOneNamespaceKeepsTheOthersListening() async throws {
        let prefix = freshPrefix()
        let listener = try bus(prefix: prefix), publisher = try bus(prefix: prefix)
        let received = NIOLockedValueBox<[String]>([])
        for namespace in ["/", "/gone"] {
            await listener.subscribe(namespace: namespace) { message in received.withLockedValue { $0.append(message.nsp) } }
        }
        await listener.unsubscribe(namespace: "/gone")
        #expect(await eventually { listener.listeningChannels == ["\(prefix)#/"] })

        try await publisher.publish(ClusterMessage(uid: "publisher", nsp: "/gone", type: .heartbeat))
        try await publisher.publish(ClusterMessage(uid: "publisher", nsp: "/", type: .heartbeat))
        #expect(await eventually { received.withLockedValue { $0 } == ["/"] })
        #expect(listener.mostListenConnectionsAtOnce == 1)
        #expect(listener.listenFailures == 0)
        await listener.close()
        await publisher.close()
    }

    /// A namespace created later (a dynamic one) is one more LISTEN on the open connection:
    /// no reconnection, so the namespaces already there miss nothing meanwhile.
    @Test func aLaterNamespaceIsAddedToTheOpenConnection() async throws {
        let prefix = freshPrefix()
        let listener = try bus(prefix: prefix), publisher = try bus(prefix: prefix)
        let received = NIOLockedValueBox<[String]>([])
        await listener.subscribe(namespace: "/") { message in received.withLockedValue { $0.append(message.nsp) } }
        #expect(await eventually { listener.listeningChannels == ["\(prefix)#/"] })
        await listener.subscribe(namespace: "/later") { message in received.withLockedValue { $0.append(message.nsp) } }
        #expect(await eventually { listener.listeningChannels == ["\(prefix)#/", "\(prefix)#/later"] })

        try await publisher.publish(ClusterMessage(uid: "publisher", nsp: "/later", type: .heartbeat))
        try await publisher.publish(ClusterMessage(uid: "publisher", nsp: "/", type: .heartbeat))
        #expect(await eventually { received.withLockedValue { Set($0) } == ["/", "/later"] })
        #expect(listener.mostListenConnectionsAtOnce == 1)
        #expect(listener.listenFailures == 0)
        await listener.close()
        await publisher.close()
    }
}
