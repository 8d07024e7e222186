import SocketIO
import SocketIOAdmin

/// The command line of `sioconsole`.
struct ConsoleArguments: Equatable {
    var host = "127.0.0.1"
    var port = 3000
    var path = "/socket.io/"
    var corsOrigins: [String] = []
    var pingInterval: Int?
    var pingTimeout: Int?
    var recovery = false
    var theme = "dark"
    var readOnly = false
    var headless = false
    var logFile: String?
    var namespaces: [String] = []
    var benchHandlers = false
    var demo = false
    var adapter: String?
    /// The embedded server's PEM certificate chain and key for https/wss; both or neither.
    var tlsCertificate: String?
    var tlsKey: String?
    var admin = AdminCommandLine()
    var help = false
    /// `attach URL`: watch a running server over the Admin UI protocol instead of starting one.
    var attachURL: String?
    var attachNamespace = "/admin"
    var user: String?
    var passwordFile: String?
    var websocketOnly = false
    /// attach: certificates to trust (PEM), and whether to verify the server's at all.
    var trustedCertificatesFile: String?
    var insecure = false
    /// The packet format: of the embedded server, or of the server attach watches.
    var parser = SocketIOPacketParser.default
    /// The flags given, to refuse those of the other mode.
    var given: Set<String> = []

    /// Flags that only the embedded server uses.
    static let embeddedOnly: Set<String> = [
        "--host", "--port", "--cors-origin", "--ping-interval", "--ping-timeout", "--recovery", "--namespace",
        "--bench-handlers", "--demo", "--adapter", "--admin", "--admin-user", "--admin-password-hash", "--admin-readonly", "--admin-mode",
        "--tls-cert", "--tls-key",
    ]
    /// Flags that only `attach` uses.
    static let attachOnly: Set<String> = ["--user", "--password-file", "--websocket-only", "--tls-ca", "--insecure"]

    static let usage = """
    usage: sioconsole attach URL [--admin-namespace /admin] [--path /socket.io/] [--user NAME]
                      [--password-file FILE] [--websocket-only] [--tls-ca FILE] [--insecure]
                      [--parser default|msgpack] [--read-only] [--theme NAME|PATH]
                      [--headless] [--log FILE]
           sioconsole --demo
           sioconsole [--host 127.0.0.1] [--port 3000] [--path /socket.io/] [--cors-origin ORIGIN…]
                      [--ping-interval ms] [--ping-timeout ms] [--recovery] [--parser default|msgpack]
                      [--theme NAME|PATH]
                      [--read-only] [--headless] [--log FILE] [--namespace /NAME…] [--bench-handlers] [--demo]
                      [--adapter postgres://USER@HOST:PORT/DB] [--admin] [--admin-user NAME
                      --admin-password-hash HASH] [--admin-readonly] [--admin-mode MODE]
                      [--admin-namespace /NAME] [--tls-cert FILE --tls-key FILE]

    sioconsole attach URL watches a Socket.IO server that runs elsewhere (ours with --admin,
    Node's or python-socketio's with instrument()) over the Admin UI protocol, with the same
    screens, keys and commands. Without attach, sioconsole starts a Socket.IO v4 server and
    its administration console in one process.

    attach:
      URL                   the server, http://HOST:PORT or https://…
      --admin-namespace NS  the server's admin namespace (default /admin)
      --path PATH           the server's path (default /socket.io/)
      --user NAME           the admin user, for a server that asks for credentials; the
                            password comes from --password-file, else SIOCONSOLE_PASSWORD, else
                            a prompt on the terminal (never from an argument)
      --password-file FILE  read the password from the first line of FILE
      --websocket-only      connect over WebSocket only (no long-polling first)
      --tls-ca FILE         for https: also trust the certificates in this PEM file (a private
                            CA, or the server's own self-signed certificate)
      --insecure            for https: do not verify the server's certificate (test servers only)
      --read-only, --theme, --headless, --log, --parser: as below

    the embedded server:

      --host ADDRESS        address to listen on (default 127.0.0.1)
      --port N              port (default 3000; 0 picks a free one, shown in the header)
      --path PATH           the server's path (default /socket.io/)
      --cors-origin ORIGIN… allowed origins for browsers (several values, or the flag again;
                            * allows any origin)
      --ping-interval MS    heartbeat interval (default 25000)
      --ping-timeout MS     heartbeat timeout (default 20000)
      --recovery            turn on connection state recovery
      --parser NAME         the packet format: default (socket.io-parser) or msgpack
                            (socket.io-msgpack-parser); clients, and attached consoles, must
                            use the same one
      --theme NAME|PATH     dark (default), light, high-contrast, or a .theme file
      --read-only           refuse every acting command and key (join, leave, kick, emit)
      --headless            no screen: stream entries as JSON lines on stdout, commands
                            (without the colon) read line by line from stdin
      --log FILE            write logs (and anything printed on stderr) to FILE
      --namespace /NAME…    create these namespaces besides / (clients may join only
                            namespaces that exist)
      --bench-handlers      install the benchmark's handlers on / (join, broadcast, message,
                            message-with-ack), for measuring the server with the console on
      --demo                simulated traffic: a small chat on / and two dozen real Socket.IO
                            clients in this process that join rooms, chat, ack, upgrade, leave
                            and come back, so every pane moves
      --adapter URL         run on the PostgreSQL cluster adapter (postgres://…): the console
                            then shows the cluster's nodes (n, :nodes) and the sockets of every
                            node, and acts on them through the cluster
      --tls-cert FILE       serve https and wss with this PEM certificate chain (the server's
      --tls-key FILE        own certificate first) and this PEM private key
    \(AdminCommandLine.usage)
      -h, --help            this help

    Keys in the console: ? lists them all. Commands: type : then help.
    """

    static func parse(_ arguments: [String]) throws(ArgumentError) -> ConsoleArguments {
        var result = ConsoleArguments()
        var index = 0
        func value(_ flag: String) throws(ArgumentError) -> String {
            index += 1
            guard index < arguments.count, !arguments[index].hasPrefix("--") else { throw ArgumentError("\(flag) needs a value") }
            return arguments[index]
        }
        func number(_ flag: String, range: ClosedRange<Int>) throws(ArgumentError) -> Int {
            let text = try value(flag)
            guard let number = Int(text), range.contains(number) else {
                throw ArgumentError("\(flag) wants a number in \(range.lowerBound)...\(range.upperBound), not \(text)")
            }
            return number
        }
        if arguments.first == "attach" {
            index = 1
            guard index < arguments.count, !arguments[index].hasPrefix("-") else {
                throw ArgumentError("attach needs the server's URL: sioconsole attach http://HOST:PORT")
            }
            result.attachURL = arguments[index]
            index += 1
        }
        while index < arguments.count {
            var argument = arguments[index]
            var inline: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                inline = String(argument[argument.index(after: equals)...])
                argument = String(argument[..<equals])
            }
            if let inline {
                // --flag=value: treat as if the value followed.
                var copy = arguments
                copy[index] = argument
                copy.insert(inline, at: index + 1)
                return try parse(copy)
            }
            result.given.insert(argument)
            switch argument {
            case "--user": result.user = try value(argument)
            case "--password-file": result.passwordFile = try value(argument)
            case "--websocket-only": result.websocketOnly = true
            case "--tls-ca": result.trustedCertificatesFile = try value(argument)
            case "--insecure": result.insecure = true
            case "--tls-cert": result.tlsCertificate = try value(argument)
            case "--tls-key": result.tlsKey = try value(argument)
            case "--admin-namespace" where result.attachURL != nil:
                let name = try value(argument)
                result.attachNamespace = name.hasPrefix("/") ? name : "/" + name
            case "--host": result.host = try value(argument)
            case "--port": result.port = try number(argument, range: 0...65535)
            case "--path":
                var path = try value(argument)
                if !path.hasPrefix("/") { path = "/" + path }
                result.path = path
            case "--cors-origin":
                let first = try value(argument)
                result.corsOrigins.append(first)
                while index + 1 < arguments.count, !arguments[index + 1].hasPrefix("-") {
                    index += 1
                    result.corsOrigins.append(arguments[index])
                }
            case "--ping-interval": result.pingInterval = try number(argument, range: 1...3_600_000)
            case "--ping-timeout": result.pingTimeout = try number(argument, range: 1...3_600_000)
            case "--recovery": result.recovery = true
            case "--parser":
                let name = try value(argument)
                guard let parser = SocketIOPacketParser.named(name) else {
                    throw ArgumentError("unknown parser \(name) (default, msgpack)")
                }
                result.parser = parser
            case "--theme": result.theme = try value(argument)
            case "--read-only": result.readOnly = true
            case "--headless": result.headless = true
            case "--log": result.logFile = try value(argument)
            case "--namespace":
                let first = try value(argument)
                result.namespaces.append(first)
                while index + 1 < arguments.count, !arguments[index + 1].hasPrefix("-") {
                    index += 1
                    result.namespaces.append(arguments[index])
                }
            case "--bench-handlers": result.benchHandlers = true
            case "--demo": result.demo = true
            case "--adapter": result.adapter = try value(argument)
            case "-h", "--help": result.help = true
            default:
                do {
                    guard try result.admin.consume(argument, value: { try value(argument) }) else {
                        throw ArgumentError("unknown argument \(argument)")
                    }
                } catch let error as ArgumentError {
                    throw error
                } catch let error as AdminCommandLineError {
                    throw ArgumentError(error.message)
                } catch {
                    throw ArgumentError("\(error)")
                }
            }
            index += 1
        }
        if result.attachURL != nil {
            if let flag = result.given.intersection(embeddedOnly).sorted().first {
                throw ArgumentError("\(flag) is for the embedded server; attach watches a server that runs elsewhere")
            }
        } else if let flag = result.given.intersection(attachOnly).sorted().first {
            throw ArgumentError("\(flag) is for attach: sioconsole attach URL \(flag) …")
        }
        if (result.tlsCertificate == nil) != (result.tlsKey == nil) {
            throw ArgumentError("--tls-cert and --tls-key go together")
        }
        return result
    }
}

struct ArgumentError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
