/// Dates as JavaScript writes them into JSON: `Date.prototype.toISOString()`
/// (`2026-12-07T14:25:25.123Z`, with a signed six-digit year outside 0000…9999), which is
/// what `JSON.stringify(new Date())` puts on the wire. Written by hand: it runs for every
/// dated event a monitor reports, and `DateFormatter` is slow.
public enum JavaScriptDate {
    /// The ISO 8601 string of a time value (Node's `new Date(ms).toISOString()`).
    /// - Parameter milliseconds: milliseconds since 1970-01-01T00:00:00Z, within ±8.64e15.
    /// - Returns: `YYYY-MM-DDTHH:mm:ss.sssZ`.
    public static func isoString(millisecondsSince1970 milliseconds: Int64) -> String {
        let msPerDay: Int64 = 86_400_000
        var days = milliseconds / msPerDay
        var rest = milliseconds % msPerDay
        if rest < 0 {
            days -= 1
            rest += msPerDay
        }
        let (year, month, day) = civil(fromDays: days)
        var text: [UInt8] = []
        text.reserveCapacity(27)
        if (0...9999).contains(year) {
            append(year, width: 4, to: &text)
        } else {
            text.append(year < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            append(Int64(year.magnitude), width: 6, to: &text)
        }
        for (separator, value, width) in [("-", month, 2), ("-", day, 2), ("T", rest / 3_600_000, 2),
                                          (":", rest / 60_000 % 60, 2), (":", rest / 1000 % 60, 2), (".", rest % 1000, 3)] {
            text.append(UInt8(ascii: separator.unicodeScalars.first!))
            append(value, width: width, to: &text)
        }
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
    /// `civil_from_days`).
    private static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Appends `value` (not negative) in decimal, left-padded with zeros to `width` digits.
    private static func append(_ value: Int64, width: Int, to text: inout [UInt8]) {
        let start = text.count
        var rest = value
        repeat {
            text.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        while text.count - start < width { text.append(UInt8(ascii: "0")) }
        text[start...].reverse()
    }
}
