import Foundation
import SocketIOClient

// The client side of the ack round-trip benchmark: C clients, each emitting
// `message-with-ack` N/C times in a row and awaiting the reply (sio-e2e-server acks back its
// arguments). Prints one JSON line with the CPU time this process spent per round trip,
// connections excluded. Tests/ClientInterop/bench_python_client.py does the same with
// python-socketio; scripts/client-bench.sh runs both against one server.

func argument(_ name: String, _ fallback: String) -> String {
    let arguments = CommandLine.arguments
    if let index = arguments.firstIndex(of: name), index + 1 < arguments.count { return arguments[index + 1] }
    return fallback
}

func cpuSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

let url = argument("--url", "http://127.0.0.1:3000")
let total = Int(argument("--count", "20000"))!
let clients = Int(argument("--clients", "10"))!
let transport = argument("--transport", "websocket")

var options = SocketIOClientOptions()
options.transports = transport == "polling" ? [.polling] : [.websocket]
options.reconnection = false
let managers = try (0..<clients).map { _ in try Manager(url, options: options) }
let sockets = managers.map { $0.socket() }
let connected = AsyncStream<Void> { continuation in
    for socket in sockets { socket.onConnect { continuation.yield() } }
}
for socket in sockets { socket.connect() }
var ready = 0
for await _ in connected {
    ready += 1
    if ready == clients { break }
}

let perClient = total / clients
let payload: [JSONValue] = ["hello", ["n": 1, "list": [1, 2, 3]]]
let cpuStart = cpuSeconds()
let wallStart = ContinuousClock.now
try await withThrowingTaskGroup(of: Void.self) { group in
    for socket in sockets {
        group.addTask {
            for _ in 0..<perClient {
                let reply = try await socket.emitWithAck("message-with-ack", payload)
                precondition(reply == payload, "unexpected reply \(reply)")
            }
        }
    }
    try await group.waitForAll()
}
let wall = ContinuousClock.now - wallStart
let cpu = cpuSeconds() - cpuStart
let roundTrips = perClient * clients
let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
print(
    "{\"client\":\"swift\",\"transport\":\"\(transport)\",\"clients\":\(clients),\"round_trips\":\(roundTrips),"
        + "\"wall_s\":\(String(format: "%.3f", wallSeconds)),\"cpu_s\":\(String(format: "%.3f", cpu)),"
        + "\"cpu_us_per_rtt\":\(String(format: "%.1f", cpu / Double(roundTrips) * 1e6)),"
        + "\"rtt_per_s\":\(String(format: "%.0f", Double(roundTrips) / wallSeconds))}"
)
for manager in managers { await manager.shutdown() }
