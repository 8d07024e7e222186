import SocketIO
import Testing
@testable import TestSupport

@Suite("Concurrent use")
struct ConcurrencyTests {
    @Test("clients connecting, joining, broadcasting and leaving at once leave no sockets or rooms behind")
    func churnLeavesNothingBehind() async throws {
        try await withServer { io, port in
            let disconnects = Recorder<String>()
            io.onConnection { socket in
                socket.on("join") { args, ack in
                    for room in args.compactMap(\.stringValue) { socket.join(room) }
                    ack?("joined")
                }
                socket.on("shout") { args, _ in
                    try? socket.to("all").emit("heard", args.first ?? nil)
                }
                socket.onDisconnect { _, _ in disconnects.append(socket.id) }
            }
            let count = 24
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let client = try await TestSocketIOClient.connect(port: port)
                        try await client.emit("join", "all", .string("group-\(index % 3)"), ackID: 1)
                        // Skip broadcasts from others until our own ack arrives.
                        while true {
                            let packet = try await client.nextPacket(timeout: .seconds(10))
                            if packet.kind == .ack { break }
                        }
                        try await client.emit("shout", .int(Int64(index)))
                        try io.to("group-\(index % 3)").emit("tick")
                        if index.isMultiple(of: 2) {
                            try await client.disconnect()
                        }
                        await client.close()
                    }
                }
                try await group.waitForAll()
            }
            #expect(await eventually(timeout: .seconds(10)) { disconnects.values.count == count })
            #expect(Set(disconnects.values).count == count)
            #expect(io.sockets.sockets.isEmpty)
            #expect(io.sockets.adapter.rooms.isEmpty, "rooms left behind: \(io.sockets.adapter.rooms.keys.sorted())")
            #expect(await io.sockets.allSockets().isEmpty)
        }
    }

    @Test("emits to one socket from many tasks all arrive, each task's in its order")
    func emitsFromManyTasks() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let tasks = 8
            let perTask = 40
            await withTaskGroup(of: Void.self) { group in
                for task in 0..<tasks {
                    group.addTask {
                        for n in 0..<perTask {
                            if n.isMultiple(of: 2) {
                                try? socket.emit("e", .int(Int64(task)), .int(Int64(n)))
                            } else {
                                try? io.to(socket.id).emit("e", .int(Int64(task)), .int(Int64(n)))
                            }
                        }
                    }
                }
            }
            var perTaskReceived: [Int64: [Int64]] = [:]
            for _ in 0..<(tasks * perTask) {
                let event = try await client.nextEvent()
                let task = event.arguments.first?.intValue ?? -1
                perTaskReceived[task, default: []].append(event.arguments.last?.intValue ?? -1)
            }
            #expect(perTaskReceived.count == tasks)
            for (task, values) in perTaskReceived {
                #expect(values == (0..<perTask).map { Int64($0) }, "task \(task) out of order")
            }
            await client.close()
        }
    }

    @Test("a broadcast with acks to many clients gathers every reply while they answer concurrently")
    func broadcastAcksFromManyClients() async throws {
        try await withServer { io, port in
            var clients: [TestSocketIOClient] = []
            for _ in 0..<16 {
                clients.append(try await TestSocketIOClient.connect(port: port))
            }
            async let replies = io.timeout(.seconds(10)).emitWithAck("count-off")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, client) in clients.enumerated() {
                    group.addTask {
                        let event = try await client.nextEvent()
                        try await client.sendAck(try #require(event.ackID), .int(Int64(index)))
                    }
                }
                try await group.waitForAll()
            }
            let answers = try await replies
            #expect(Set(answers) == Set((0..<16).map { JSONValue.int(Int64($0)) }))
            for client in clients { await client.close() }
        }
    }
}
