import NIOCore
import MessagePack

import SocketIOParser

/// Helpers shared by the MessagePack suites.
enum MessagePackTesting {
    /// Parses space-separated hex bytes, such as `"93 01 cc ff"`; whitespace and newlines are
    /// ignored, and so is everything from `//` to the end of a line.
    static func bytes(_ hex: String) -> [UInt8] {
        let code = hex.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            var index = line.startIndex
            while index < line.endIndex {
                let next = line.index(after: index)
                if line[index] == "/", next < line.endIndex, line[next] == "/" {
                    return line[..<index]
                }
                index = next
            }
            return line
        }.joined()
        let digits = code.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init)
        precondition(digits.count.isMultiple(of: 2), "odd number of hex digits in \(hex)")
        return stride(from: 0, to: digits.count, by: 2).map { position in
            UInt8(String(digits[position...position + 1]), radix: 16)!
        }
    }

    /// `bytes` in space-separated hex, for readable failure messages.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { byte in
            let text = String(byte, radix: 16)
            return byte < 0x10 ? "0" + text : text
        }.joined(separator: " ")
    }

    /// The readable bytes of `buffer`.
    static func array(_ buffer: ByteBuffer) -> [UInt8] {
        Array(buffer.readableBytesView)
    }

    /// Encodes with the default encoder and returns the bytes.
    static func encode(_ value: JSONValue) throws -> [UInt8] {
        self.array(try MessagePackEncoder().encode(value))
    }

    /// Decodes with the default decoder.
    static func decode(_ bytes: [UInt8]) throws -> JSONValue {
        try MessagePackDecoder().decode(ByteBuffer(bytes: bytes))
    }

    /// Decodes, returning the error the decoder threw, or `nil` when it succeeded.
    static func decodeError(_ bytes: [UInt8], maxDepth: Int = JSONValue.defaultMaxDepth) -> MessagePackError? {
        do {
            _ = try MessagePackDecoder(maxDepth: maxDepth).decode(ByteBuffer(bytes: bytes))
            return nil
        } catch {
            return error
        }
    }

    /// A string of `count` ASCII letters.
    static func ascii(_ count: Int) -> String {
        String(repeating: "x", count: count)
    }

    /// A buffer of `count` bytes counting up from 0 (mod 256).
    static func binary(_ count: Int) -> ByteBuffer {
        ByteBuffer(bytes: (0..<count).map { UInt8(truncatingIfNeeded: $0) })
    }

    /// Whether two values are the same tree, with NaN equal to NaN and `.int`/`.double`
    /// compared by value (as `JSONValue` equality does otherwise).
    static func same(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.double(let a), .double(let b)) where a.isNaN && b.isNaN:
            return true
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { self.same($0, $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && self.same($0.value, $1.value) }
        default:
            return lhs == rhs
        }
    }
}

/// SplitMix64: a tiny, fast, seedable generator, so that random tests are reproducible.
struct MessagePackRandomSource: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9e37_79b9_7f4a_7c15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// Random `JSONValue` trees with binary, covering every MessagePack size class boundary.
struct MessagePackRandomTrees {
    var random: MessagePackRandomSource

    init(seed: UInt64) {
        self.random = MessagePackRandomSource(seed: seed)
    }

    private static let scalars: [Unicode.Scalar] = [
        "a", "Z", "0", " ", "\"", "\\", "\u{0}", "\u{7F}", "é", "中", "😀", "𝄞", "\u{FFFD}",
    ]

    mutating func int(in range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self.random)
    }

    mutating func integer() -> Int64 {
        switch self.int(in: 0...3) {
        case 0:
            let edges: [Int64] = [
                0, 1, 127, 128, 255, 256, 65535, 65536, 4_294_967_295, 4_294_967_296,
                9_007_199_254_740_991, 9_007_199_254_740_992, .max,
                -1, -32, -33, -128, -129, -32768, -32769, -2_147_483_648, -2_147_483_649,
                -9_007_199_254_740_991, -9_007_199_254_740_992, .min,
            ]
            return edges.randomElement(using: &self.random)!
        case 1:
            return Int64.random(in: -70000...70000, using: &self.random)
        default:
            return Int64(bitPattern: self.random.next()) >> self.int(in: 0...63)
        }
    }

    mutating func double() -> Double {
        switch self.int(in: 0...3) {
        case 0:
            let edges: [Double] = [
                0, -0.0, 0.5, -1.5, 3, 255, -33, 4_294_967_296, 9_007_199_254_740_991, 9_007_199_254_740_992,
                1e21, 0.1, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
            ]
            return edges.randomElement(using: &self.random)!
        case 1:
            return Double(Int.random(in: -100_000...100_000, using: &self.random))
        case 2:
            return Double.random(in: -1e6...1e6, using: &self.random)
        default:
            return Double(bitPattern: self.random.next())
        }
    }

    mutating func string() -> String {
        let lengths = [0, 1, 5, 31, 32, 33, 255, 256, 300]
        let length = self.int(in: 0...4) == 0 ? lengths.randomElement(using: &self.random)! : self.int(in: 0...12)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            scalars.append(Self.scalars.randomElement(using: &self.random)!)
        }
        return String(scalars)
    }

    mutating func binary() -> ByteBuffer {
        let lengths = [0, 1, 255, 256, 65535, 65536]
        let count = self.int(in: 0...9) == 0 ? lengths.randomElement(using: &self.random)! : self.int(in: 0...20)
        var bytes = [UInt8](repeating: 0, count: count)
        for index in bytes.indices {
            bytes[index] = UInt8.random(in: 0...255, using: &self.random)
        }
        return ByteBuffer(bytes: bytes)
    }

    mutating func count() -> Int {
        self.int(in: 0...19) == 0 ? [15, 16, 17].randomElement(using: &self.random)! : self.int(in: 0...5)
    }

    mutating func value(depth: Int) -> JSONValue {
        switch self.int(in: 0...(depth > 0 ? 9 : 6)) {
        case 0: return .null
        case 1: return .bool(self.int(in: 0...1) == 1)
        case 2: return .int(self.integer())
        case 3: return .double(self.double())
        case 4, 5: return .string(self.string())
        case 6: return .binary(self.binary())
        case 7, 8: return .array((0..<self.count()).map { _ in self.value(depth: depth - 1) })
        default:
            var object = JSONObject()
            for _ in 0..<self.count() {
                object[self.string()] = self.value(depth: depth - 1)
            }
            return .object(object)
        }
    }
}
