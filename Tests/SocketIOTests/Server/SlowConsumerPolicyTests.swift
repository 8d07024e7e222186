import NIOConcurrencyHelpers
import SocketIO
import Testing
@testable import TestSupport

@Suite struct SlowConsumerPolicyTests {
    @Test func eventsBeyondTheBoundAreDroppedAndEachDropIsReported() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let drops = NIOLockedValueBox(0)
            // A polling client that does not poll: whatever the server sends waits in its buffer.
            let session = try await TestSocketIOPollingSession.open(port: port)
            try await session.post("40")
            #expect(await eventually { sockets.all.count == 1 })
            let socket = try #require(sockets.all.first)
            socket.shedEvents(whenBuffered: 3) { drops.withLockedValue { $0 += 1 } }
            for index in 0..<10 { try socket.emit("tick", .int(Int64(index))) }
            #expect(await eventually { drops.withLockedValue { $0 } == 8 })
            // The CONNECT answer and the two events that fitted, in order.
            let messages = try await session.messages(3)
            #expect(messages.count == 3)
            #expect(messages[1] == .text(#"2["tick",0]"#))
            #expect(messages[2] == .text(#"2["tick",1]"#))
            // Taken by the poll: the buffer has room again.
            try socket.emit("tick", 10)
            #expect(try await session.messages(1) == [.text(#"2["tick",10]"#)])
            #expect(drops.withLockedValue { $0 } == 8)
        }
    }

    @Test func dataChangeListenersSeeTheOldAndTheNewValue() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let client = try await TestSocketIOClient.connect(port: port)
            defer { Task { await client.close() } }
            let socket = try await sockets.socket(client.sid("/"))
            let changes = NIOLockedValueBox<[[JSONValue]]>([])
            socket.onDataChange { old, new in changes.withLockedValue { $0.append([old, new]) } }
            socket.data = ["a": 1]
            socket.data = "b"
            #expect(changes.withLockedValue { $0 } == [[nil, ["a": 1]], [["a": 1], "b"]])
        }
    }
}
