import Foundation
import NIOConcurrencyHelpers
import SocketIOClient

/// python-socketio's AsyncServer (Tests/ClientInterop/python_server.py) in a child
/// process: a server nobody here wrote. The interpreter is `SIO_CLIENT_INTEROP_PYTHON`, else
/// the package's `.venv/bin/python` (scripts/test.sh makes it); without one the tests fail
/// saying so.
final class PythonServer: Sendable {
    let port: Int
    private let process: Process
    private let stdin: Pipe

    private init(port: Int, process: Process, stdin: Pipe) {
        self.port = port
        self.process = process
        self.stdin = stdin
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var python: String {
        if let configured = ProcessInfo.processInfo.environment["SIO_CLIENT_INTEROP_PYTHON"] { return configured }
        return packageRoot.appendingPathComponent(".venv/bin/python").path
    }

    /// Starts the server and waits for it to listen.
    ///
    /// - Parameters:
    ///   - port: The port, 0 for a free one.
    ///   - parser: The packet format, as python-socketio's `serializer` names it.
    static func start(port: Int = 0, parser: SocketIOPacketParser = .default) async throws -> PythonServer {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw PythonServerError("no Python at \(python): run scripts/test.sh, or make .venv with Tests/Interop/requirements.txt")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [packageRoot.appendingPathComponent("Tests/ClientInterop/python_server.py").path, String(port), parser.name]
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        try process.run()
        let reader = stdout.fileHandleForReading
        let found = NIOLockedValueBox<Int?>(nil)
        let output = NIOLockedValueBox("")
        let thread = Thread {
            while true {
                let data = reader.availableData
                if data.isEmpty { return }
                let text = output.withLockedValue { $0 += String(decoding: data, as: UTF8.self); return $0 }
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }), let port = Int(line.dropFirst(5)) {
                    found.withLockedValue { $0 = port }
                    return
                }
            }
        }
        thread.start()
        let deadline = ContinuousClock.now + .seconds(120)
        while found.withLockedValue({ $0 }) == nil {
            guard ContinuousClock.now < deadline, process.isRunning else {
                process.terminate()
                throw PythonServerError("python_server.py did not start: \(output.withLockedValue { $0 })")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return PythonServer(port: found.withLockedValue { $0 }!, process: process, stdin: stdin)
    }

    /// Freezes the process (SIGSTOP): a dead server that closed nothing.
    func freeze() { kill(process.processIdentifier, SIGSTOP) }

    /// Stops the server and waits for the process to end.
    func stop() async {
        kill(process.processIdentifier, SIGCONT)
        try? stdin.fileHandleForWriting.close()
        process.terminate()
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }
}

struct PythonServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
