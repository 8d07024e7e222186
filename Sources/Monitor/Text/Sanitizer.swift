/// Makes client-supplied text safe to show on a terminal.
///
/// Event names, payloads, headers, query values and room names come from clients. Written
/// raw, an `ESC [ 2 J` would clear the operator's screen and an `ESC ] 0 ; … BEL` would
/// retitle the window. Everything shown goes through ``clean(_:limit:)``: control
/// characters (C0, DEL, C1), Unicode format characters (bidi overrides, zero-width
/// joiners), line and paragraph separators, surrogates and unassigned code points are
/// replaced by a visible escape (`\x1b`, `\u{202E}`), so no escape sequence can form.
public enum Sanitizer {
    /// Returns `text` with every character that could act on a terminal shown escaped.
    ///
    /// - Parameters:
    ///   - text: Text that came from a client (or anywhere else).
    ///   - limit: The most characters (grapheme clusters) to keep; longer text ends with `…`.
    /// - Returns: Text holding only printable characters.
    public static func clean(_ text: String, limit: Int = Int.max) -> String {
        // The common case, short printable ASCII, is returned as it is.
        if text.utf8.count <= limit, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return text
        }
        var output = ""
        output.reserveCapacity(min(text.utf8.count, 256))
        var kept = 0
        for scalar in text.unicodeScalars {
            if kept >= limit {
                output.append("…")
                return output
            }
            if let escape = escape(for: scalar) {
                output.append(escape)
            } else {
                output.unicodeScalars.append(scalar)
            }
            kept += 1
        }
        return output
    }

    /// Whether `text` would be shown unchanged.
    ///
    /// - Parameter text: Any text.
    /// - Returns: `true` when it holds no character ``clean(_:limit:)`` escapes.
    public static func isClean(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { escape(for: $0) == nil }
    }

    /// The visible replacement of `scalar`, or `nil` when it is safe to print.
    ///
    /// - Parameter scalar: One Unicode scalar.
    /// - Returns: `\n`, `\r`, `\t`, `\xHH` for other C0 controls and DEL, `\u{HHHH}` for the rest.
    public static func escape(for scalar: Unicode.Scalar) -> String? {
        let value = scalar.value
        switch value {
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x00..<0x20, 0x7F: return "\\x" + hex(value, digits: 2)
        case 0x20..<0x7F: return nil
        case 0x80..<0xA0: return "\\u{" + hex(value, digits: 4) + "}"
        default: break
        }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse:
            return "\\u{" + hex(value, digits: 4) + "}"
        default:
            return nil
        }
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return text.count >= digits ? text : String(repeating: "0", count: digits - text.count) + text
    }
}
