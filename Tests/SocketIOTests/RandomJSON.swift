@testable import TestSupport
import NIOCore
import SocketIO

/// Generates random JSON value trees for property tests.
struct RandomJSON {
    var generator: SplitMix64
    var includesBinary: Bool

    init(seed: UInt64, includesBinary: Bool = false) {
        self.generator = SplitMix64(seed: seed)
        self.includesBinary = includesBinary
    }

    /// Characters chosen to stress escaping and UTF-8: controls, quotes, backslashes,
    /// multi-byte and astral characters, and the line separators JavaScript once choked on.
    private static let scalars: [Unicode.Scalar] = {
        var scalars: [Unicode.Scalar] = (0x00...0x1F).map { Unicode.Scalar(UInt8($0)) }
        scalars += ["\"", "\\", "/", "\u{7F}", "é", "ß", "中", "文", "😀", "𝄞"]
        scalars += ["\u{2028}", "\u{2029}", "\u{FEFF}", "\u{FFFD}"]
        scalars += (0x20...0x7E).map { Unicode.Scalar(UInt8($0)) }
        return scalars
    }()

    mutating func int(in range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self.generator)
    }

    mutating func string(maxLength: Int = 12) -> String {
        let length = self.int(in: 0...maxLength)
        var string = String.UnicodeScalarView()
        for _ in 0..<length {
            string.append(Self.scalars.randomElement(using: &self.generator)!)
        }
        return String(string)
    }

    mutating func integer() -> Int64 {
        switch self.int(in: 0...4) {
        case 0: return [Int64.min, Int64.max, 0, -1, 1 << 53, -(1 << 53)].randomElement(using: &self.generator)!
        case 1: return Int64.random(in: -1000...1000, using: &self.generator)
        default: return Int64(bitPattern: self.generator.next())
        }
    }

    mutating func double() -> Double {
        switch self.int(in: 0...3) {
        case 0:
            return [0.1, -0.0, 1e21, 1e-7, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.30000000000000004, 1.5]
                .randomElement(using: &self.generator)!
        case 1:
            return Double.random(in: -1000...1000, using: &self.generator)
        default:
            while true {
                let candidate = Double(bitPattern: self.generator.next())
                if candidate.isFinite { return candidate }
            }
        }
    }

    mutating func binary() -> ByteBuffer {
        let count = self.int(in: 0...16)
        var buffer = ByteBuffer()
        for _ in 0..<count {
            buffer.writeInteger(UInt8.random(in: 0...255, using: &self.generator))
        }
        return buffer
    }

    mutating func value(depth: Int) -> JSONValue {
        let kinds = depth > 0 ? 8 : 6
        let kind = self.int(in: 0...(kinds - 1 + (self.includesBinary ? 1 : 0)))
        switch kind {
        case 0: return .null
        case 1: return .bool(self.int(in: 0...1) == 1)
        case 2: return .int(self.integer())
        case 3: return .double(self.double())
        case 4, 5: return .string(self.string())
        case 6 where depth > 0: return .array(self.elements(depth: depth))
        case 7 where depth > 0: return .object(self.object(depth: depth))
        default: return .binary(self.binary())
        }
    }

    mutating func elements(depth: Int) -> [JSONValue] {
        (0..<self.int(in: 0...5)).map { _ in self.value(depth: depth - 1) }
    }

    mutating func object(depth: Int) -> JSONObject {
        var object = JSONObject()
        for _ in 0..<self.int(in: 0...5) {
            object[self.string(maxLength: 6)] = self.value(depth: depth - 1)
        }
        return object
    }
}
