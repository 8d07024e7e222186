import EngineIO
import Foundation
import SocketIO
import SocketIOAdmin

/// The command line of `sio-e2e-server`.
struct E2EOptions {
    var host = "127.0.0.1"
    /// `$PORT` when set (the benchmark runner passes the port that way), else 3000.
    var port = ProcessInfo.processInfo.environment["PORT"].flatMap(Int.init) ?? 3000
    var pingInterval = 300
    var pingTimeout = 200
    var maxPayload = 1_000_000
    var headerTimeout = 10_000
    var transports: [EngineTransportKind] = [.polling, .websocket]
    var connectTimeout = 1000
    var adapter: String?
    /// The cluster heartbeat, in milliseconds (nil: the adapter's defaults, 5000 and 10000).
    var heartbeatInterval: Int?
    var heartbeatTimeout: Int?
    /// How long fetchSockets/serverSideEmitWithAck wait for the other servers, in milliseconds.
    var requestsTimeout: Int?
    var recovery = false
    /// PEM files for `https`/`wss`; both or neither.
    var tlsCertificate: String?
    var tlsKey: String?
    /// Where Prometheus scrapes `/metrics` (nil: no metrics).
    var metricsPort: Int?
    var parser = SocketIOPacketParser.default
    var admin = AdminCommandLine()

    static let usage = """
        usage: sio-e2e-server [--host 127.0.0.1] [--port 3000] [--ping-interval 300] [--ping-timeout 200]
                              [--connect-timeout 1000] [--max-payload 1000000] [--header-timeout 10000]
                              [--transports polling,websocket] [--recovery] [--parser default|msgpack]
                              [--adapter postgres://…]
                              [--heartbeat-interval 5000] [--heartbeat-timeout 10000] [--requests-timeout 5000]
                              [--admin] [--admin-user NAME --admin-password-hash HASH] [--admin-readonly]
                              [--admin-mode development|production] [--admin-namespace /admin]
                              [--tls-cert FILE --tls-key FILE] [--metrics-port N]
        The server of the official protocol test suites, on one port:
          /engine.io/  a plain Engine.IO v4 echo server;
          /socket.io/  Socket.IO with namespaces / and /custom: emits "auth" on connection, and answers
                       message, message-with-ack, join, leave and broadcast, plus the cluster
                       test events (fetch-sockets, sockets-join, sockets-leave, disconnect-sockets,
                       broadcast-except, broadcast-with-ack, server-side-emit, server-count, set-data).
          --parser     the packet format of /socket.io/: default (socket.io-parser) or msgpack
                       (socket.io-msgpack-parser); clients must use the same one.
          --adapter    share rooms and broadcasts with other servers through PostgreSQL.
          --heartbeat-interval, --heartbeat-timeout, --requests-timeout  the adapter's timing in
                       milliseconds: how often this server says it is alive, how long a silent server
                       still counts, how long cluster requests wait for the other servers.
          --tls-cert, --tls-key  serve https and wss with this PEM certificate chain (own certificate
                       first) and its PEM private key.
          --metrics-port  serve the server's metrics for Prometheus at http://HOST:N/metrics.
        \(AdminCommandLine.usage)
        Port 0 picks a free port; the bound address is printed as "listening on HOST:PORT".
        """

    /// Parses `arguments` (without the program name).
    /// - Throws: ``E2EOptionsError`` with a readable message.
    static func parse(_ arguments: [String]) throws -> E2EOptions {
        var options = E2EOptions()
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            if flag == "--help" || flag == "-h" { throw E2EOptionsError(message: usage) }
            if flag == "--recovery" {
                options.recovery = true
                continue
            }
            do {
                let taken = try options.admin.consume(flag) {
                    guard let value = remaining.popFirst() else { throw E2EOptionsError(message: "\(flag) needs a value\n\(usage)") }
                    return value
                }
                if taken { continue }
            } catch let error as AdminCommandLineError {
                throw E2EOptionsError(message: error.message)
            }
            guard let value = remaining.popFirst() else {
                throw E2EOptionsError(message: "\(flag) needs a value\n\(usage)")
            }
            switch flag {
            case "--host": options.host = value
            case "--port": options.port = try integer(flag, value, in: 0...65535)
            case "--ping-interval": options.pingInterval = try integer(flag, value, in: 1...86_400_000)
            case "--ping-timeout": options.pingTimeout = try integer(flag, value, in: 1...86_400_000)
            case "--max-payload": options.maxPayload = try integer(flag, value, in: 1...1_000_000_000)
            case "--adapter": options.adapter = value
            case "--tls-cert": options.tlsCertificate = value
            case "--tls-key": options.tlsKey = value
            case "--metrics-port": options.metricsPort = try integer(flag, value, in: 0...65535)
            case "--parser":
                guard let parser = SocketIOPacketParser.named(value) else {
                    throw E2EOptionsError(message: "unknown parser \(value) (default, msgpack)")
                }
                options.parser = parser
            case "--connect-timeout": options.connectTimeout = try integer(flag, value, in: 1...86_400_000)
            case "--header-timeout": options.headerTimeout = try integer(flag, value, in: 1...86_400_000)
            case "--heartbeat-interval": options.heartbeatInterval = try integer(flag, value, in: 1...86_400_000)
            case "--heartbeat-timeout": options.heartbeatTimeout = try integer(flag, value, in: 1...86_400_000)
            case "--requests-timeout": options.requestsTimeout = try integer(flag, value, in: 1...86_400_000)
            case "--transports":
                options.transports = try value.split(separator: ",").map { name in
                    guard let kind = EngineTransportKind(rawValue: String(name)) else {
                        throw E2EOptionsError(message: "unknown transport \(name) (polling, websocket)")
                    }
                    return kind
                }
            default:
                throw E2EOptionsError(message: "unknown option \(flag)\n\(usage)")
            }
        }
        if (options.tlsCertificate == nil) != (options.tlsKey == nil) {
            throw E2EOptionsError(message: "--tls-cert and --tls-key go together")
        }
        return options
    }

    private static func integer(_ flag: String, _ value: String, in range: ClosedRange<Int>) throws -> Int {
        guard let number = Int(value), range.contains(number) else {
            throw E2EOptionsError(message: "\(flag) takes a whole number in \(range.lowerBound)...\(range.upperBound), not \(value)")
        }
        return number
    }
}

struct E2EOptionsError: Error {
    let message: String
}
