import SocketIO
import Testing
@testable import TestSupport

@Suite("Rooms")
struct RoomTests {
    @Test("a connected socket is in the room named after its id, and only there")
    func ownRoomOnConnect() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            #expect(socket.rooms == [socket.id])
            #expect(io.sockets.adapter.rooms[socket.id] == [socket.id])
            await client.close()
        }
    }

    @Test("join and leave take one room or many, and the own room stays")
    func joinAndLeave() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            socket.join("a")
            #expect(socket.rooms == [socket.id, "a"])
            socket.join(["b", "c"])
            #expect(socket.rooms == [socket.id, "a", "b", "c"])
            socket.join("a")
            #expect(socket.rooms == [socket.id, "a", "b", "c"])
            socket.leave("b")
            #expect(socket.rooms == [socket.id, "a", "c"])
            socket.leave(["a", "c", "never-joined"])
            #expect(socket.rooms == [socket.id])
            #expect(io.sockets.adapter.rooms["a"] == nil)
            await client.close()
        }
    }

    @Test("the adapter tracks room membership across sockets")
    func adapterTracksMembership() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (c1, s1) = try await connectClient(port: port, collector: sockets)
            let (c2, s2) = try await connectClient(port: port, collector: sockets)
            s1.join("shared")
            s2.join("shared")
            #expect(io.sockets.adapter.rooms["shared"] == [s1.id, s2.id])
            #expect(await io.sockets.allSockets() == [s1.id, s2.id])
            #expect(await io.in("shared").allSockets() == [s1.id, s2.id])
            s1.leave("shared")
            #expect(io.sockets.adapter.rooms["shared"] == [s2.id])
            await c1.close()
            await c2.close()
        }
    }

    @Test("a disconnected socket has left every room")
    func disconnectLeavesEveryRoom() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            socket.join(["x", "y"])
            await client.close()
            #expect(await eventually { !socket.connected })
            #expect(socket.rooms.isEmpty)
            #expect(io.sockets.adapter.rooms["x"] == nil)
            #expect(io.sockets.adapter.rooms[socket.id] == nil)
        }
    }

    @Test("adapter events: create-room then join-room on join; leave-room then delete-room when the last member leaves")
    func adapterEventsInNodeOrder() async throws {
        try await withServer { io, port in
            let events = Recorder<String>()
            let adapter = io.sockets.adapter
            adapter.onCreateRoom { events.append("create \($0)") }
            adapter.onJoinRoom { room, id in events.append("join \(room) \(id)") }
            adapter.onLeaveRoom { room, id in events.append("leave \(room) \(id)") }
            adapter.onDeleteRoom { events.append("delete \($0)") }
            let sockets = SocketCollector(io.sockets)

            let (c1, s1) = try await connectClient(port: port, collector: sockets)
            #expect(events.values == ["create \(s1.id)", "join \(s1.id) \(s1.id)"])

            let (c2, s2) = try await connectClient(port: port, collector: sockets)
            let base = events.values.count
            s1.join("room")
            s2.join("room")
            s1.leave("room")
            s2.leave("room")
            #expect(Array(events.values.dropFirst(base)) == [
                "create room", "join room \(s1.id)",
                "join room \(s2.id)",
                "leave room \(s1.id)",
                "leave room \(s2.id)", "delete room",
            ])
            await c1.close()
            await c2.close()
        }
    }

    @Test("joining several rooms at once announces each new room right before the socket's join of it, as Node's addAll")
    func adapterEventsForManyRoomsPairUp() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let events = Recorder<String>()
            io.sockets.adapter.onCreateRoom { events.append("create \($0)") }
            io.sockets.adapter.onJoinRoom { room, _ in events.append("join \(room)") }
            socket.join(["a", "b", "c"])
            let values = events.values
            #expect(values.count == 6)
            #expect(Set(values) == ["create a", "join a", "create b", "join b", "create c", "join c"])
            let paired = stride(from: 0, to: values.count - 1, by: 2).allSatisfy { index in
                values[index].hasPrefix("create ") && values[index + 1] == "join " + values[index].dropFirst("create ".count)
            }
            #expect(paired, "each create-room must be followed by its join-room: \(values)")
            await client.close()
        }
    }

    @Test("adapter events on disconnect: the socket leaves its rooms and the emptied rooms are deleted")
    func adapterEventsOnDisconnect() async throws {
        try await withServer { io, port in
            let events = Recorder<String>()
            let adapter = io.sockets.adapter
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            socket.join("solo")
            adapter.onLeaveRoom { room, id in events.append("leave \(room) \(id)") }
            adapter.onDeleteRoom { events.append("delete \($0)") }
            await client.close()
            #expect(await eventually { events.values.count == 4 })
            let values = events.values
            #expect(Set(values) == ["leave solo \(socket.id)", "delete solo", "leave \(socket.id) \(socket.id)", "delete \(socket.id)"])
            for room in ["solo", socket.id] {
                let leave = values.firstIndex(of: "leave \(room) \(socket.id)")
                let delete = values.firstIndex(of: "delete \(room)")
                #expect(leave != nil && delete != nil && leave! < delete!, "leave-room must come before delete-room: \(values)")
            }
        }
    }

    @Test("socket.disconnecting still sees the rooms; socket.disconnect sees them gone")
    func disconnectingSeesRooms() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            socket.join("lobby")
            let disconnecting = Signal<DisconnectRecord>()
            let disconnected = Signal<DisconnectRecord>()
            socket.onDisconnecting { reason, _ in
                disconnecting.set(DisconnectRecord(reason: reason, roomsAtThatTime: socket.rooms))
            }
            socket.onDisconnect { reason, _ in
                disconnected.set(DisconnectRecord(reason: reason, roomsAtThatTime: socket.rooms))
            }
            try await client.disconnect()
            #expect(await disconnecting.wait() == DisconnectRecord(reason: .clientNamespaceDisconnect, roomsAtThatTime: [socket.id, "lobby"]))
            #expect(await disconnected.wait() == DisconnectRecord(reason: .clientNamespaceDisconnect, roomsAtThatTime: []))
            await client.close()
        }
    }

    @Test("rooms are per namespace")
    func roomsArePerNamespace() async throws {
        try await withServer { io, port in
            let mainSockets = SocketCollector(io.sockets)
            let adminSockets = SocketCollector(io.of("/admin"))
            let client = try await TestSocketIOClient.open(port: port)
            let mainSID = try await client.connect()
            let adminSID = try await client.connect(namespace: "/admin")
            let main = try await mainSockets.socket(mainSID)
            let admin = try await adminSockets.socket(adminSID)
            main.join("room")
            #expect(io.sockets.adapter.rooms["room"] == [mainSID])
            #expect(io.of("/admin").adapter.rooms["room"] == nil)
            #expect(admin.rooms == [adminSID])
            try io.of("/admin").to("room").emit("nope")
            try io.to("room").emit("yes")
            let event = try await client.nextEvent()
            #expect(event == ReceivedEvent(namespace: "/", name: "yes", arguments: []))
            await client.close()
        }
    }

    @Test("a disconnecting listener can still reach the socket's rooms with socket.to(room)")
    func disconnectingCanNotifyRooms() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (leaver, leaverSocket) = try await connectClient(port: port, collector: sockets)
            let (stayer, stayerSocket) = try await connectClient(port: port, collector: sockets)
            leaverSocket.join("game")
            stayerSocket.join("game")
            leaverSocket.onDisconnecting { _, _ in
                for room in leaverSocket.rooms where room != leaverSocket.id {
                    try? leaverSocket.to(room).emit("player-left", .string(leaverSocket.id))
                }
            }
            await leaver.close()
            let event = try await stayer.nextEvent()
            #expect(event == ReceivedEvent(namespace: "/", name: "player-left", arguments: [.string(leaverSocket.id)]))
            await stayer.close()
        }
    }
}
