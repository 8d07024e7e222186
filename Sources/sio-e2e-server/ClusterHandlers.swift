import SocketIO

/// Events that let a test client drive the cluster-wide operations of the server it is
/// connected to (used by the multi-node suites; harmless on one node).
enum ClusterHandlers {
    static func install(on namespace: Namespace, nodeName: String) {
        namespace.onServerSideEmit("whoami") { _, ack in ack?(.string(nodeName)) }
        namespace.onConnection { socket in
            socket.on("set-data") { arguments, ack in
                socket.data = arguments.first ?? .null
                ack?()
            }
            socket.on("node") { _, ack in ack?(.string(nodeName)) }
            socket.on("fetch-sockets") { arguments, ack in
                let room = arguments.first?.stringValue
                Task {
                    let target = room.map { namespace.in($0) } ?? namespace.in([])
                    do {
                        let sockets = try await target.fetchSockets()
                        ack?(.array(sockets.map { remote in
                            .object([
                                "id": .string(remote.id), "rooms": .array(remote.rooms.sorted().map(JSONValue.string)),
                                "data": remote.data, "handshake": remote.handshake.json,
                            ])
                        }))
                    } catch {
                        ack?(.object(["error": .string("\(error)")]))
                    }
                }
            }
            socket.on("sockets-join") { arguments, ack in
                guard let room = arguments.first?.stringValue, let newRoom = arguments.dropFirst().first?.stringValue else { return }
                namespace.in(room).socketsJoin(newRoom)
                ack?()
            }
            socket.on("sockets-leave") { arguments, ack in
                guard let room = arguments.first?.stringValue, let oldRoom = arguments.dropFirst().first?.stringValue else { return }
                namespace.in(room).socketsLeave(oldRoom)
                ack?()
            }
            socket.on("disconnect-sockets") { arguments, ack in
                guard let room = arguments.first?.stringValue else { return }
                namespace.in(room).disconnectSockets(close: arguments.dropFirst().first?.boolValue ?? false)
                ack?()
            }
            socket.on("broadcast-except") { arguments, ack in
                guard let room = arguments.first?.stringValue else { return }
                try? namespace.except(room).emit("broadcast", Array(arguments.dropFirst()))
                ack?()
            }
            socket.on("broadcast-with-ack") { arguments, ack in
                guard let room = arguments.first?.stringValue else { return }
                Task {
                    do {
                        let replies = try await namespace.to(room).timeout(.seconds(5)).emitWithAck("question", Array(arguments.dropFirst()))
                        ack?(.array(replies))
                    } catch let timeout as BroadcastAckTimeout {
                        ack?(.object(["error": "timeout", "responses": .array(timeout.responses)]))
                    } catch {
                        ack?(.object(["error": .string("\(error)")]))
                    }
                }
            }
            socket.on("server-side-emit") { _, ack in
                Task {
                    do {
                        ack?(.array(try await namespace.serverSideEmitWithAck("whoami")))
                    } catch {
                        ack?(.object(["error": .string("\(error)")]))
                    }
                }
            }
            socket.on("server-count") { _, ack in
                Task { ack?(.int(Int64(await namespace.adapter.serverCount()))) }
            }
        }
    }
}
