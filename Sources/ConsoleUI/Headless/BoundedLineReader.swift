#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One thing read from the headless console's input.
enum HeadlessInput: Sendable, Equatable {
    case line(String)
    /// A line longer than the limit: skipped whole, its length reported.
    case tooLong(bytes: Int)
}

/// Reads newline-separated lines from a file descriptor with a bound on their length, so
/// input without newlines (a binary file, `/dev/zero`) cannot make the console grow without
/// limit: an overlong line is skipped up to its newline and reported instead.
struct BoundedLineReader {
    let descriptor: Int32
    let limit: Int

    init(descriptor: Int32, limit: Int = 1 << 16) {
        self.descriptor = descriptor
        self.limit = limit
    }

    /// Calls `deliver` for each line (without its newline, a trailing CR dropped) until end
    /// of input or a read error.
    func run(_ deliver: (HeadlessInput) -> Void) {
        var pending: [UInt8] = []
        var skipped = 0  // > 0 while skipping an overlong line: its length so far
        var chunk = [UInt8](repeating: 0, count: 1 << 14)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            for byte in chunk[0..<count] {
                if byte == UInt8(ascii: "\n") {
                    if skipped > 0 {
                        deliver(.tooLong(bytes: skipped))
                    } else {
                        deliver(.line(Self.text(pending)))
                    }
                    pending.removeAll(keepingCapacity: true)
                    skipped = 0
                } else if skipped > 0 {
                    skipped += 1
                } else if pending.count == limit {
                    skipped = pending.count + 1
                    pending.removeAll(keepingCapacity: true)
                } else {
                    pending.append(byte)
                }
            }
        }
        if skipped > 0 { deliver(.tooLong(bytes: skipped)) } else if !pending.isEmpty { deliver(.line(Self.text(pending))) }
    }

    private static func text(_ bytes: [UInt8]) -> String {
        let trimmed = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes[...]
        return String(decoding: trimmed, as: UTF8.self)
    }
}
