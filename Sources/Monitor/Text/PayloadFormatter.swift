public import SocketIO
public import NIOCore

/// Writes payloads as text for people and for JSON lines: compact previews, pretty-printed
/// documents, and binary attachments as their size plus a hex preview.
///
/// The JSON it writes is valid JSON whose strings escape, as `\uXXXX`, every character
/// ``Sanitizer`` would escape (not only the controls JSON requires), so the text is safe to
/// print on a terminal as it is.
public enum PayloadFormatter {
    /// How many bytes of a binary attachment are shown in hex.
    public static let hexPreviewBytes = 16

    /// How binary attachments are written.
    public enum BinaryStyle: Sendable {
        /// `<binary 12 B: 00 01 02 …>`, for people.
        case placeholder
        /// `{"_binary":12,"hex":"000102…"}`, valid JSON for JSON lines.
        case jsonObject
    }

    /// One line of compact JSON, cut at `limit` characters with `…`.
    ///
    /// - Parameters:
    ///   - value: The value to write.
    ///   - limit: The most characters to produce.
    ///   - binary: How binary attachments are written.
    /// - Returns: The text, safe to print.
    public static func compact(_ value: JSONValue, limit: Int = Int.max, binary: BinaryStyle = .placeholder) -> String {
        var writer = Writer(limit: limit, binary: binary, indent: nil)
        writer.write(value, depth: 0)
        return writer.finish()
    }

    /// The arguments of an event as one compact line (`"hello", 1, {"a":true}`), without the
    /// surrounding brackets.
    ///
    /// - Parameters:
    ///   - arguments: The event's arguments.
    ///   - limit: The most characters to produce.
    /// - Returns: The text, safe to print.
    public static func arguments(_ arguments: [JSONValue], limit: Int = Int.max) -> String {
        var writer = Writer(limit: limit, binary: .placeholder, indent: nil)
        for (index, argument) in arguments.enumerated() {
            if index > 0 { writer.emit(", ") }
            writer.write(argument, depth: 0)
            if writer.full { break }
        }
        return writer.finish()
    }

    /// The value pretty-printed with two-space indentation, one element per line.
    ///
    /// - Parameter value: The value to write.
    /// - Returns: The lines, safe to print.
    public static func pretty(_ value: JSONValue) -> [String] {
        var writer = Writer(limit: Int.max, binary: .placeholder, indent: "  ")
        writer.write(value, depth: 0)
        return writer.finish().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// A JSON string literal with every unsafe character escaped.
    ///
    /// - Parameter text: Any text.
    /// - Returns: The quoted literal.
    public static func quoted(_ text: String) -> String {
        var writer = Writer(limit: Int.max, binary: .jsonObject, indent: nil)
        writer.writeString(text)
        return writer.finish()
    }

    /// The encoded size of the arguments, close to what the packet carries: JSON text plus
    /// the bytes of binary attachments. Walks the value without building any text.
    ///
    /// - Parameter values: The values.
    /// - Returns: An estimate in bytes.
    public static func estimatedSize(_ values: [JSONValue]) -> Int {
        var total = 2 + max(0, values.count - 1)
        for value in values { total += estimatedSize(value) }
        return total
    }

    static func estimatedSize(_ value: JSONValue) -> Int {
        switch value {
        case .null: return 4
        case .bool(let flag): return flag ? 4 : 5
        case .int(let number): return number < 0 ? 1 + digits(number) : digits(number)
        case .double: return 8
        case .string(let text): return text.utf8.count + 2
        case .array(let elements):
            var total = 2 + max(0, elements.count - 1)
            for element in elements { total += estimatedSize(element) }
            return total
        case .object(let object):
            var total = 2 + max(0, object.count - 1)
            for (key, element) in object { total += key.utf8.count + 3 + estimatedSize(element) }
            return total
        case .binary(let buffer): return buffer.readableBytes + 28
        }
    }

    private static func digits(_ number: Int64) -> Int {
        var count = 1
        var rest = number.magnitude / 10
        while rest != 0 {
            count += 1
            rest /= 10
        }
        return count
    }

    /// Hex of the first bytes of `buffer`, space separated, `…` when there is more.
    ///
    /// - Parameters:
    ///   - buffer: The bytes.
    ///   - count: How many bytes to show.
    ///   - separator: Between bytes.
    /// - Returns: Text such as `00 1f 8b …`.
    public static func hexPreview(_ buffer: ByteBuffer, count: Int = hexPreviewBytes, separator: String = " ") -> String {
        let shown = buffer.getBytes(at: buffer.readerIndex, length: min(count, buffer.readableBytes)) ?? []
        var text = shown.map { Sanitizer.hex(UInt32($0), digits: 2).lowercased() }.joined(separator: separator)
        if buffer.readableBytes > count { text += separator.isEmpty ? "…" : separator + "…" }
        return text
    }

    struct Writer {
        let limit: Int
        let binary: BinaryStyle
        let indent: String?
        var output = ""
        var count = 0
        var full = false

        init(limit: Int, binary: BinaryStyle, indent: String?) {
            self.limit = limit
            self.binary = binary
            self.indent = indent
        }

        mutating func finish() -> String {
            output
        }

        mutating func emit(_ text: String) {
            guard !full else { return }
            let length = text.count
            if count + length > limit {
                let room = max(0, limit - count - 1)
                output.append(contentsOf: text.prefix(room))
                output.append("…")
                full = true
                count = limit
            } else {
                output.append(text)
                count += length
            }
        }

        mutating func newline(_ depth: Int) {
            guard let indent else { return }
            emit("\n" + String(repeating: indent, count: depth))
        }

        mutating func write(_ value: JSONValue, depth: Int) {
            guard !full else { return }
            switch value {
            case .null: emit("null")
            case .bool(let flag): emit(flag ? "true" : "false")
            case .int(let number): emit(String(number))
            case .double:
                emit((try? value.jsonString()) ?? "null")
            case .string(let text): writeString(text)
            case .array(let elements):
                guard !elements.isEmpty else { return emit("[]") }
                emit("[")
                for (index, element) in elements.enumerated() {
                    if index > 0 { emit(",") }
                    newline(depth + 1)
                    write(element, depth: depth + 1)
                    if full { return }
                }
                newline(depth)
                emit("]")
            case .object(let object):
                guard !object.isEmpty else { return emit("{}") }
                emit("{")
                for (index, (key, element)) in object.enumerated() {
                    if index > 0 { emit(",") }
                    newline(depth + 1)
                    writeString(key)
                    emit(indent == nil ? ":" : ": ")
                    write(element, depth: depth + 1)
                    if full { return }
                }
                newline(depth)
                emit("}")
            case .binary(let buffer):
                switch binary {
                case .placeholder:
                    emit("<binary \(buffer.readableBytes) B: \(PayloadFormatter.hexPreview(buffer))>")
                case .jsonObject:
                    emit("{\"_binary\":\(buffer.readableBytes),\"hex\":\"\(PayloadFormatter.hexPreview(buffer, count: 64, separator: ""))\"}")
                }
            }
        }

        mutating func writeString(_ text: String) {
            var literal = "\""
            literal.reserveCapacity(min(text.utf8.count, limit) + 2)
            var written = 0
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": literal.append("\\\"")
                case "\\": literal.append("\\\\")
                case "\n": literal.append("\\n")
                case "\r": literal.append("\\r")
                case "\t": literal.append("\\t")
                default:
                    if Sanitizer.escape(for: scalar) != nil {
                        if scalar.value > 0xFFFF {
                            // Outside the BMP: a JSON surrogate pair.
                            let offset = scalar.value - 0x10000
                            literal.append("\\u" + Sanitizer.hex(0xD800 + (offset >> 10), digits: 4).lowercased())
                            literal.append("\\u" + Sanitizer.hex(0xDC00 + (offset & 0x3FF), digits: 4).lowercased())
                        } else {
                            literal.append("\\u" + Sanitizer.hex(scalar.value, digits: 4).lowercased())
                        }
                    } else {
                        literal.unicodeScalars.append(scalar)
                    }
                }
                written += 1
                // Past the limit the rest is cut anyway: stop walking a huge string.
                if written > limit - count { break }
            }
            literal.append("\"")
            emit(literal)
        }
    }
}
