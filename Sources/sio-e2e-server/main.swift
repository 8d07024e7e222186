import EngineIO
import Foundation

// The server the official protocol test suites expect: /engine.io/ echoes every message.

let options: E2EOptions
do {
    options = try E2EOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch let error as E2EOptionsError {
    FileHandle.standardError.write(Data((error.message + "\n").utf8))
    exit(2)
}

var engineOptions = EngineOptions()
engineOptions.path = "/engine.io/"
engineOptions.pingInterval = .milliseconds(options.pingInterval)
engineOptions.pingTimeout = .milliseconds(options.pingTimeout)
engineOptions.maxHttpBufferSize = options.maxPayload
engineOptions.requestHeaderTimeout = .milliseconds(options.headerTimeout)
engineOptions.transports = options.transports
engineOptions.cors = .allowAll

let engine = EngineServer(options: engineOptions)
engine.onConnection { socket in
    socket.onMessage { message in socket.send(message) }
}

let port: Int
do {
    port = try await engine.listen(host: options.host, port: options.port)
} catch {
    FileHandle.standardError.write(Data("cannot listen on \(options.host):\(options.port): \(error)\n".utf8))
    exit(1)
}
// One line, written straight to the file descriptor so a test harness reading the pipe
// sees it at once (stdio would buffer it).
FileHandle.standardOutput.write(Data("listening on \(options.host):\(port)\n".utf8))

// Stop cleanly on SIGINT/SIGTERM so every session ends with "server shutting down".
let stopped = AsyncStream<Void> { continuation in
    for signalNumber in [SIGINT, SIGTERM] {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler { continuation.yield() }
        source.resume()
        SignalSources.keep(source)
    }
}
for await _ in stopped { break }
await engine.close()
exit(0)
