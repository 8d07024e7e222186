import SocketIO
import Testing

@testable import SocketIOAdmin

@Suite struct AdminCommandTests {
    @Test func readsTheFourCommandsInNodesArgumentOrder() {
        #expect(AdminCommand(event: "emit", arguments: ["/", "room", "hello", 1, "two"])
            == .emit(namespace: "/", filter: "room", event: "hello", arguments: [1, "two"]))
        #expect(AdminCommand(event: "emit", arguments: ["/", nil, "hello"])
            == .emit(namespace: "/", filter: nil, event: "hello", arguments: []))
        #expect(AdminCommand(event: "join", arguments: ["/chat", "vip", "id1"]) == .join(namespace: "/chat", room: "vip", filter: "id1"))
        #expect(AdminCommand(event: "join", arguments: ["/chat", "vip"]) == .join(namespace: "/chat", room: "vip", filter: nil))
        #expect(AdminCommand(event: "leave", arguments: ["/", "vip", nil]) == .leave(namespace: "/", room: "vip", filter: nil))
        #expect(AdminCommand(event: "_disconnect", arguments: ["/", true, "id1"]) == .disconnect(namespace: "/", close: true, filter: "id1"))
        #expect(AdminCommand(event: "_disconnect", arguments: ["/", false]) == .disconnect(namespace: "/", close: false, filter: nil))
    }

    @Test func anEmptyFilterMeansNoFilterAsInNode() {
        #expect(AdminCommand(event: "emit", arguments: ["/", "", "hello"]) == .emit(namespace: "/", filter: nil, event: "hello", arguments: []))
    }

    @Test(arguments: [
        ("emit", [] as [JSONValue]),
        ("emit", ["/", nil]),
        ("emit", [42, nil, "hello"]),
        ("emit", ["/", 42, "hello"]),
        ("emit", ["/", ["a"], "hello"]),
        ("emit", ["/", nil, 42]),
        ("emit", ["no-slash", nil, "hello"]),
        ("emit", ["/", .string(String(repeating: "r", count: 1025)), "hello"]),
        ("join", ["/"]),
        ("join", ["/", ["room": "x"]]),
        ("join", ["/", "vip", 7]),
        ("join", ["/", "vip", "a", "b"]),
        ("leave", [nil, "vip"]),
        ("_disconnect", ["/", "yes"]),
        ("_disconnect", ["/", nil]),
        ("_disconnect", ["/", true, ["id": 1]]),
        ("unknown", ["/", nil]),
    ] as [(String, [JSONValue])])
    func refusesWrongTypesMissingArgumentsAndHugeNames(event: String, arguments: [JSONValue]) {
        #expect(AdminCommand(event: event, arguments: arguments) == nil)
    }
}
