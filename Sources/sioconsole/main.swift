import BenchmarkHandlers
import ConsoleDemo
import ConsoleUI
import Dispatch
import EngineIO
import Logging
import Monitor
import SocketIO
import SocketIOAdmin
import SocketIOPostgresAdapter
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// sioconsole: a Socket.IO server and its administration console in one process, or (with
// `attach URL`) the console of a server that runs elsewhere. Argument parsing and wiring
// only; the console is ConsoleUI, the model Monitor, the remote feed AdminFeed.

/// Where errors for the operator go: the terminal's stderr even when fd 2 is the log.
let operatorErrors = dup(2)

func fail(_ message: String, code: Int32) -> Never {
    let line = "sioconsole: " + message + "\n"
    _ = line.withCString { write(operatorErrors, $0, strlen($0)) }
    exit(code)
}

let arguments: ConsoleArguments
do {
    arguments = try ConsoleArguments.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail(error.message + "\n" + ConsoleArguments.usage, code: 2)
}
if arguments.help {
    print(ConsoleArguments.usage)
    exit(0)
}

// Logging: with --log, everything written on stderr (SwiftLog included) goes to the file
// for the whole run; without it, warnings go to stderr, which the full screen sends to
// /dev/null while it is up.
if let logFile = arguments.logFile {
    let descriptor = open(logFile, O_WRONLY | O_APPEND | O_CREAT, 0o644)
    guard descriptor >= 0 else { fail("cannot open the log file \(logFile): \(String(cString: strerror(errno)))", code: 2) }
    dup2(descriptor, 2)
    close(descriptor)
}
let logLevel: Logger.Level = arguments.logFile == nil ? .warning : .info
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = logLevel
    return handler
}

if let url = arguments.attachURL {
    AttachCommand.run(arguments, url: url, fail: { message, code in fail(message, code: code) })
}

var options = SocketIOServerOptions()
options.engine.path = arguments.path
if let interval = arguments.pingInterval { options.engine.pingInterval = .milliseconds(interval) }
if let timeout = arguments.pingTimeout { options.engine.pingTimeout = .milliseconds(timeout) }
if !arguments.corsOrigins.isEmpty {
    options.engine.cors = arguments.corsOrigins.contains("*") ? .allowAll : CORSOptions(origin: .list(arguments.corsOrigins))
}
arguments.admin.allowCredentials(&options.engine.cors)
if arguments.recovery { options.connectionStateRecovery = ConnectionStateRecoveryOptions() }
options.parser = arguments.parser
if let url = arguments.adapter {
    do {
        options.adapter = try PostgresAdapter.factory(url: url)
    } catch {
        fail("--adapter: \(error)", code: 2)
    }
}
let io = SocketIOServer(options: options)
// Instrumented first, as Node's instrument(): it hears of every namespace and connection.
let admin: AdminInstrumentation?
do {
    // On a cluster, admin sessions live in its PostgreSQL: a session is good on every node.
    admin = try arguments.admin.instrument(io, store: try arguments.adapter.map { try PostgresAdminSessionStore(url: $0) })
} catch let error as AdminCommandLineError {
    fail(error.message, code: 2)
} catch {
    fail("--admin: \(error)", code: 2)
}
for name in arguments.namespaces { _ = io.of(name) }
if arguments.benchHandlers { BenchmarkHandlers.install(on: io.of("/")) }
if arguments.demo { DemoRoom.install(on: io.of("/")) }

/// Runs async work from this synchronous top level (the main thread is not a task).
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let result = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do {
            let value = try await body()
            result.withLock { $0 = .success(value) }
        } catch {
            result.withLock { $0 = .failure(error) }
        }
        done.signal()
    }
    done.wait()
    return try result.withLock { $0! }.get()
}

let tls: EmbeddedTLS?
do {
    tls = try EmbeddedTLS(certificateFile: arguments.tlsCertificate, keyFile: arguments.tlsKey)
} catch {
    fail("\(error)", code: 2)
}
let host = arguments.host, requestedPort = arguments.port
let service = EmbeddedServerService(io: io, host: host, port: requestedPort, tls: tls?.server)
let port: Int
do {
    port = try service.waitUntilListening()
} catch {
    fail("cannot listen on \(host):\(requestedPort): \(error)", code: 1)
}
let scheme = tls == nil ? "http" : "https"

// The demo's clients connect over loopback whatever address the server listens on.
let demoHost = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : (host.contains(":") ? "[\(host)]" : host)
let demo = arguments.demo ? DemoTraffic(url: "\(scheme)://\(demoHost):\(port)", tls: tls?.loopbackClient, parser: arguments.parser) : nil
demo?.start()

var consoleOptions = ConsoleOptions()
consoleOptions.theme = arguments.theme
consoleOptions.readOnly = arguments.readOnly
consoleOptions.logFile = arguments.logFile
consoleOptions.address = "\(tls == nil ? "" : "https://")\(host):\(port)\(arguments.path)"
consoleOptions.quitStopsServer = true
if arguments.adapter != nil { consoleOptions.cluster = ClusterAdapterProbe() }
let console = SocketIOConsole(server: io, options: consoleOptions)

let outcome: ConsoleExit
if arguments.headless {
    var banner = MonitorJSON.Object()
    banner.add("type", "listening")
    banner.add("host", host)
    banner.add("port", port)
    banner.add("path", arguments.path)
    banner.add("tls", tls != nil)
    banner.add("readOnly", arguments.readOnly)
    outcome = console.runHeadless(banner: banner.text)
} else {
    do {
        outcome = try console.run()
    } catch {
        try? blocking { await service.stop() }
        fail(error.message, code: 1)
    }
}
console.feed.stop()
if let demo { try? blocking { await demo.stop() } }
try? blocking { await service.stop() }
switch outcome {
case .quit, .endOfInput: exit(0)
case .signal(let number): exit(128 + number)
}
