/// One fuzz target: a name for `SIO_FUZZ_TARGET` (and the corpus folder), and the function
/// that feeds one input to the code under test. A target reports a finding by trapping
/// (`preconditionFailure`), which libFuzzer records as a crash with the input that caused it.
struct FuzzTarget: Sendable {
    let name: String
    let run: @Sendable (UnsafeRawBufferPointer) -> Void

    static let all: [FuzzTarget] = [
        FuzzTarget(name: "engine-packet", run: EnginePacketTarget.run),
        FuzzTarget(name: "engine-query", run: EngineQueryTarget.run),
        FuzzTarget(name: "engine-http", run: EngineHTTPTarget.run),
        FuzzTarget(name: "socketio-packet", run: SocketIOPacketTarget.run),
        FuzzTarget(name: "json", run: JSONDifferentialTarget.run),
        FuzzTarget(name: "msgpack", run: MessagePackTarget.run),
        FuzzTarget(name: "console-command", run: ConsoleCommandTarget.run),
        FuzzTarget(name: "theme", run: ThemeTarget.run),
    ]
}

extension UnsafeRawBufferPointer {
    /// The input cut at every occurrence of `separator`, so one input can carry several
    /// messages (a text packet and its binary attachments, pieces of an HTTP stream).
    func pieces(separatedBy separator: [UInt8]) -> [UnsafeRawBufferPointer] {
        var result: [UnsafeRawBufferPointer] = []
        var start = 0
        var index = 0
        while index + separator.count <= count {
            if separator.indices.allSatisfy({ self[index + $0] == separator[$0] }) {
                result.append(UnsafeRawBufferPointer(rebasing: self[start..<index]))
                index += separator.count
                start = index
            } else {
                index += 1
            }
        }
        result.append(UnsafeRawBufferPointer(rebasing: self[start..<count]))
        return result
    }
}

/// Reports a finding: `precondition` loses its message in release builds, `fatalError` keeps
/// it, and the message is what says which property broke.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
