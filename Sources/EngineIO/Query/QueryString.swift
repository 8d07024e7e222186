/// `application/x-www-form-urlencoded` query parsing, as Node's `querystring.parse`: pairs
/// split on `&` (empty pieces skipped), name and value on the first `=`, a name without `=`
/// has the value `""`, `+` is a space, and malformed percent escapes stay as they are.
enum QueryString {
    /// One value per name, the first sent: what the engine itself reads (`EIO`,
    /// `transport`, `sid`), which a client sends once.
    static func parse(_ uri: String) -> [String: String] {
        var result: [String: String] = [:]
        forEachPair(in: uri) { name, value in
            if result[name] == nil { result[name] = value }
        }
        return result
    }

    /// Every value of every name, in Node's shape: a string for a name sent once, an array
    /// in the order sent for a repeated one.
    static func parseValues(_ uri: String) -> [String: QueryValue] {
        // Collected as arrays first, appended in place: a URI repeating one name thousands
        // of times must cost linear time, not a copy per repeat.
        var collected: [String: [String]] = [:]
        forEachPair(in: uri) { name, value in collected[name, default: []].append(value) }
        return collected.mapValues { $0.count == 1 ? .single($0[0]) : .multiple($0) }
    }

    /// Calls `body` with each decoded pair of the query part of `uri`, in order.
    private static func forEachPair(in uri: String, _ body: (_ name: String, _ value: String) -> Void) {
        guard let mark = uri.firstIndex(of: "?") else { return }
        for pair in uri[uri.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            body(decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// Percent-decoding with `+` as space; malformed escapes stay as they are.
    static func decode(_ text: Substring) -> String {
        guard text.contains(where: { $0 == "%" || $0 == "+" }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                      let high = hexValue(iterator[iterator.startIndex]),
                      let low = hexValue(iterator[iterator.startIndex + 1]) {
                bytes.append(high << 4 | low)
                iterator.removeFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
