import SocketIO
import Testing
@testable import TestSupport

@Suite("Namespaces")
struct NamespaceTests {
    @Test("a static namespace accepts sockets and only its own connection listeners run")
    func staticNamespaceAcceptsSockets() async throws {
        try await withServer { io, port in
            let admin = io.of("/admin")
            let adminSockets = SocketCollector(admin)
            let mainSockets = SocketCollector(io.sockets)
            let client = try await TestSocketIOClient.open(port: port)
            let sid = try await client.connect(namespace: "/admin")
            let socket = try await adminSockets.socket(sid)
            do { let identical = socket.namespace === admin; #expect(identical) }
            #expect(socket.namespace.name == "/admin")
            do { let identical = admin.sockets[sid] === socket; #expect(identical) }
            #expect(mainSockets.all.isEmpty)
            #expect(io.sockets.sockets.isEmpty)
            await client.close()
        }
    }

    @Test("of() names without a leading slash get one, and the same name gives the same namespace")
    func ofNormalisesNames() async throws {
        try await withServer { io, _ in
            let first = io.of("orders")
            #expect(first.name == "/orders")
            do { let identical = io.of("/orders") === first; #expect(identical) }
            do { let identical = io.namespaces["/orders"] === first; #expect(identical) }
            do { let identical = io.sockets === io.of("/"); #expect(identical) }
        }
    }

    @Test("one connection multiplexes namespaces: packets are routed by namespace")
    func oneConnectionMultiplexesNamespaces() async throws {
        try await withServer { io, port in
            let mainGot = Recorder<String>()
            let adminGot = Recorder<String>()
            io.onConnection { socket in socket.on("ping") { _, _ in mainGot.append(socket.id) } }
            io.of("/admin").onConnection { socket in socket.on("ping") { _, _ in adminGot.append(socket.id) } }
            let client = try await TestSocketIOClient.open(port: port)
            let mainSID = try await client.connect(namespace: "/")
            let adminSID = try await client.connect(namespace: "/admin")
            #expect(mainSID != adminSID)
            try await client.emit("ping", namespace: "/admin")
            try await client.emit("ping", namespace: "/")
            #expect(await eventually { mainGot.values.count == 1 && adminGot.values.count == 1 })
            #expect(mainGot.values == [mainSID])
            #expect(adminGot.values == [adminSID])

            try io.of("/admin").emit("hello", "admins")
            let event = try await client.nextEvent()
            #expect(event == ReceivedEvent(namespace: "/admin", name: "hello", arguments: ["admins"]))
            await client.close()
        }
    }

    @Test("a CONNECT to an unknown namespace gets connect_error \"Invalid namespace\" and the connection stays usable")
    func unknownNamespaceIsRefused() async throws {
        try await withServer { io, port in
            let client = try await TestSocketIOClient.open(port: port)
            let error = await #expect(throws: TestSocketIOConnectError.self) {
                try await client.connect(namespace: "/nope")
            }
            #expect(error?.namespace == "/nope")
            #expect(error?.json == ["message": "Invalid namespace"])
            #expect(!io.namespaces.keys.contains("/nope"))
            // Node keeps the engine connection open after the refusal.
            let sid = try await client.connect(namespace: "/")
            #expect(io.sockets.sockets.keys.contains(sid))
            await client.close()
        }
    }

    @Test("a dynamic namespace by pattern creates one child per matching name, sharing middlewares and listeners")
    func dynamicNamespaceByPattern() async throws {
        try await withServer { io, port in
            let parent = try io.of(pattern: #"^/dyn-\d+$"#)
            let middlewareSaw = Recorder<String>()
            parent.use { socket in middlewareSaw.append(socket.namespace.name) }
            let sockets = SocketCollector(parent)

            let client = try await TestSocketIOClient.open(port: port)
            let first = try await client.connect(namespace: "/dyn-1")
            let second = try await client.connect(namespace: "/dyn-22")
            let firstSocket = try await sockets.socket(first)
            let secondSocket = try await sockets.socket(second)
            #expect(firstSocket.namespace.name == "/dyn-1")
            #expect(secondSocket.namespace.name == "/dyn-22")
            do { let identical = firstSocket.namespace.parent === parent; #expect(identical) }
            #expect(Set(parent.children.keys) == ["/dyn-1", "/dyn-22"])
            do { let identical = io.namespaces["/dyn-1"] === firstSocket.namespace; #expect(identical) }
            #expect(middlewareSaw.values.sorted() == ["/dyn-1", "/dyn-22"])

            let refused = await #expect(throws: TestSocketIOConnectError.self) {
                try await client.connect(namespace: "/dyn-x")
            }
            #expect(refused?.json?["message"] == "Invalid namespace")
            await client.close()
        }
    }

    @Test("an unanchored pattern matches anywhere in the name, as Node's regex.test(name); an anchored one only whole names")
    func patternMatchesAnywhereUnlessAnchored() async throws {
        try await withServer { io, port in
            _ = try io.of(pattern: #"dyn-\d+"#)
            _ = try io.of(pattern: #"^/whole-\d+$"#)
            let client = try await TestSocketIOClient.open(port: port)
            try await client.connect(namespace: "/dyn-1/extra")
            try await client.connect(namespace: "/x-dyn-7")
            await #expect(throws: TestSocketIOConnectError.self) {
                try await client.connect(namespace: "/whole-1/extra")
            }
            try await client.connect(namespace: "/whole-2")
            await client.close()
        }
    }

    @Test("an invalid pattern throws at registration")
    func invalidPatternThrows() async throws {
        let io = SocketIOServer()
        #expect(throws: (any Error).self) { _ = try io.of(pattern: "(unclosed") }
        await io.close()
    }

    @Test("a dynamic namespace by predicate gets the name and the CONNECT's auth")
    func dynamicNamespaceByPredicate() async throws {
        try await withServer { io, port in
            let asked = Recorder<String>()
            let parent = io.of(matching: { name, auth in
                asked.append(name)
                return name.hasPrefix("/team-") && auth["key"] == "open-sesame"
            })
            let sockets = SocketCollector(parent)
            let client = try await TestSocketIOClient.open(port: port)

            await #expect(throws: TestSocketIOConnectError.self) {
                try await client.connect(namespace: "/team-red", auth: #"{"key":"wrong"}"#)
            }
            #expect(parent.children.isEmpty)
            let sid = try await client.connect(namespace: "/team-red", auth: #"{"key":"open-sesame"}"#)
            let socket = try await sockets.socket(sid)
            #expect(socket.namespace.name == "/team-red")
            #expect(socket.handshake.auth["key"] == "open-sesame")
            #expect(asked.values == ["/team-red", "/team-red"])
            await client.close()
        }
    }

    @Test("broadcasting on a parent namespace reaches the sockets of every child")
    func parentEmitReachesEveryChild() async throws {
        try await withServer { io, port in
            let parent = try io.of(pattern: #"^/room-\w+$"#)
            let a = try await TestSocketIOClient.connect(port: port, namespace: "/room-a")
            let b = try await TestSocketIOClient.connect(port: port, namespace: "/room-b")
            let main = try await TestSocketIOClient.connect(port: port)
            try parent.emit("news", 1)
            try io.emit("marker")
            #expect(try await a.nextEvent() == ReceivedEvent(namespace: "/room-a", name: "news", arguments: [1]))
            #expect(try await b.nextEvent() == ReceivedEvent(namespace: "/room-b", name: "news", arguments: [1]))
            #expect(try await main.nextEvent().name == "marker")
            await a.close()
            await b.close()
            await main.close()
        }
    }

    @Test("new_namespace fires for static namespaces and for each dynamic child, once per name")
    func newNamespaceFires() async throws {
        try await withServer { io, port in
            let created = Recorder<String>()
            io.onNewNamespace { namespace in created.append(namespace.name) }
            _ = io.of("/static")
            _ = io.of("/static")
            _ = try io.of(pattern: #"^/dyn-\d+$"#)
            let client = try await TestSocketIOClient.open(port: port)
            try await client.connect(namespace: "/dyn-1")
            try await client.connect(namespace: "/dyn-2")
            #expect(await eventually { created.values.count >= 3 })
            #expect(created.values == ["/static", "/dyn-1", "/dyn-2"])
            await client.close()
        }
    }

    @Test("with cleanupEmptyChildNamespaces, a child is removed when its last socket leaves and made anew later")
    func cleanupEmptyChildNamespaces() async throws {
        var options = SocketIOServerOptions()
        options.cleanupEmptyChildNamespaces = true
        try await withServer(options) { io, port in
            let created = Recorder<String>()
            io.onNewNamespace { created.append($0.name) }
            let parent = try io.of(pattern: #"^/dyn-\d+$"#)
            let sockets = SocketCollector(parent)

            let first = try await TestSocketIOClient.open(port: port)
            let second = try await TestSocketIOClient.open(port: port)
            let firstSID = try await first.connect(namespace: "/dyn-1")
            let secondSID = try await second.connect(namespace: "/dyn-1")
            let child = try await sockets.socket(firstSID).namespace
            _ = try await sockets.socket(secondSID)

            try await first.disconnect(namespace: "/dyn-1")
            #expect(await eventually { child.sockets.count == 1 })
            do { let identical = parent.children["/dyn-1"] === child; #expect(identical, "removed while a socket remained") }

            try await second.disconnect(namespace: "/dyn-1")
            #expect(await eventually { parent.children.isEmpty })
            #expect(!io.namespaces.keys.contains("/dyn-1"))

            let again = try await second.connect(namespace: "/dyn-1")
            let newChild = try await sockets.socket(again).namespace
            do { let identical = newChild !== child; #expect(identical) }
            #expect(created.values == ["/dyn-1", "/dyn-1"])
            await first.close()
            await second.close()
        }
    }

    @Test("without cleanupEmptyChildNamespaces, an empty child stays")
    func emptyChildStaysByDefault() async throws {
        try await withServer { io, port in
            let parent = try io.of(pattern: #"^/dyn-\d+$"#)
            let sockets = SocketCollector(parent)
            let client = try await TestSocketIOClient.open(port: port)
            let sid = try await client.connect(namespace: "/dyn-1")
            let child = try await sockets.socket(sid).namespace
            try await client.disconnect(namespace: "/dyn-1")
            #expect(await eventually { child.sockets.isEmpty })
            do { let identical = parent.children["/dyn-1"] === child; #expect(identical) }
            do { let identical = io.namespaces["/dyn-1"] === child; #expect(identical) }
            await client.close()
        }
    }

    @Test("static namespaces are never cleaned up, even with cleanupEmptyChildNamespaces")
    func staticNamespacesAreNotCleanedUp() async throws {
        var options = SocketIOServerOptions()
        options.cleanupEmptyChildNamespaces = true
        try await withServer(options) { io, port in
            let admin = io.of("/admin")
            let client = try await TestSocketIOClient.open(port: port)
            try await client.connect(namespace: "/admin")
            #expect(await eventually { admin.sockets.count == 1 })
            try await client.disconnect(namespace: "/admin")
            #expect(await eventually { admin.sockets.isEmpty })
            do { let identical = io.namespaces["/admin"] === admin; #expect(identical) }
            await client.close()
        }
    }

    @Test("a static namespace takes precedence over a dynamic one with the same name")
    func staticBeatsDynamic() async throws {
        try await withServer { io, port in
            let asked = Recorder<String>()
            let parent = io.of(matching: { name, _ in asked.append(name); return true })
            let fixed = io.of("/fixed")
            let sockets = SocketCollector(fixed)
            let client = try await TestSocketIOClient.open(port: port)
            let sid = try await client.connect(namespace: "/fixed")
            let socket = try await sockets.socket(sid)
            do { let identical = socket.namespace === fixed; #expect(identical) }
            do { let hasParent = socket.namespace.parent != nil; #expect(!hasParent) }
            #expect(asked.values.isEmpty)
            #expect(parent.children.isEmpty)
            await client.close()
        }
    }

    @Test("clients racing to a new dynamic namespace share one child, announced once")
    func concurrentDynamicCreation() async throws {
        try await withServer { io, port in
            let created = Recorder<String>()
            io.onNewNamespace { created.append($0.name) }
            let parent = io.of(matching: { name, _ in
                // A slow check widens the window in which both CONNECTs are in flight.
                try? await Task.sleep(for: .milliseconds(50))
                return name == "/race"
            })
            let sockets = SocketCollector(parent)
            let clients = try await withThrowingTaskGroup(of: TestSocketIOClient.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await TestSocketIOClient.connect(port: port, namespace: "/race") }
                }
                var clients: [TestSocketIOClient] = []
                for try await client in group { clients.append(client) }
                return clients
            }
            var namespaces: [Namespace] = []
            for client in clients {
                namespaces.append(try await sockets.socket(client.sid("/race")).namespace)
            }
            do { let allSame = namespaces.allSatisfy { $0 === namespaces[0] }; #expect(allSame) }
            #expect(namespaces[0].sockets.count == 4)
            #expect(created.values == ["/race"])
            #expect(parent.children.count == 1)
            for client in clients { await client.close() }
        }
    }

    @Test("a dynamic namespace's middleware can refuse, and the refusal names the child namespace")
    func dynamicMiddlewareRefuses() async throws {
        try await withServer { io, port in
            let parent = try io.of(pattern: #"^/dyn-\d+$"#)
            parent.use { socket in
                if socket.namespace.name == "/dyn-13" { throw ConnectError("unlucky", data: ["ns": .string(socket.namespace.name)]) }
            }
            let client = try await TestSocketIOClient.open(port: port)
            try await client.connect(namespace: "/dyn-12")
            let error = await #expect(throws: TestSocketIOConnectError.self) {
                try await client.connect(namespace: "/dyn-13")
            }
            #expect(error?.namespace == "/dyn-13")
            #expect(error?.json == ["message": "unlucky", "data": ["ns": "/dyn-13"]])
            await client.close()
        }
    }

    @Test("a middleware added from new_namespace applies to the child's very first socket")
    func middlewareFromNewNamespaceAppliesToFirstSocket() async throws {
        try await withServer { io, port in
            io.onNewNamespace { namespace in
                namespace.use { _ in throw ConnectError("closed for now") }
            }
            _ = try io.of(pattern: #"^/dyn-\d+$"#)
            let client = try await TestSocketIOClient.open(port: port)
            let error = await #expect(throws: TestSocketIOConnectError.self) {
                try await client.connect(namespace: "/dyn-1")
            }
            #expect(error?.json?["message"] == "closed for now")
            await client.close()
        }
    }
}
