@testable import ConsoleUI
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Headless input lines")
struct BoundedLineReaderTests {
    /// Everything `reader` delivers for `input` written into a pipe and closed.
    private func lines(_ input: [UInt8], limit: Int) -> [HeadlessInput] {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let writeEnd = fds[1]
        let writer = Thread {
            input.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(writeEnd, bytes.baseAddress! + offset, bytes.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
            close(writeEnd)
        }
        writer.start()
        var delivered: [HeadlessInput] = []
        BoundedLineReader(descriptor: fds[0], limit: limit).run { delivered.append($0) }
        close(fds[0])
        return delivered
    }

    @Test func linesAreSplitOnNewlinesAndCRLFAndALastLineWithoutNewlineCounts() {
        #expect(lines(Array("join a\r\nkick\n\nlast".utf8), limit: 64) == [.line("join a"), .line("kick"), .line(""), .line("last")])
    }

    @Test func anOverlongLineIsSkippedToItsNewlineAndReported() {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 100)
        #expect(lines(long + Array("\nnext\n".utf8), limit: 10) == [.tooLong(bytes: 100), .line("next")])
    }

    @Test func endlessInputWithoutNewlinesStaysBounded() {
        // Half a megabyte of NUL bytes (as from /dev/zero) with a 1 KiB limit: one report.
        #expect(lines([UInt8](repeating: 0, count: 1 << 19), limit: 1024) == [.tooLong(bytes: 1 << 19)])
    }
}
