import Monitor
import CNcursesw
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Display widths of text on a terminal (a CJK character takes two cells), from the C
/// library's `wcwidth`, which is what ncurses uses: the two agree, so columns line up.
///
/// Needs a UTF-8 `LC_CTYPE` (``ensureUTF8Locale()``).
public enum TextWidth {
    /// Makes `LC_CTYPE` UTF-8: the environment's locale if it is, else `C.UTF-8`.
    public static func ensureUTF8Locale() {
        setlocale(LC_ALL, "")
        if let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) == "UTF-8" { return }
        if setlocale(LC_CTYPE, "C.UTF-8") == nil { setlocale(LC_CTYPE, "en_US.UTF-8") }
    }

    /// Cells taken by one character (0 for a combining mark alone, 1 for what cannot be
    /// measured: it is drawn as `?`).
    public static func width(of character: Character) -> Int {
        if character.isASCII { return 1 }
        var total = 0
        for scalar in character.unicodeScalars {
            let cells = nc_wcwidth(wchar_t(bitPattern: scalar.value))
            if cells < 0 { return 1 }
            total += Int(cells)
        }
        return min(total, 2)
    }

    /// Whether `character` can be printed as it is.
    public static func isPrintable(_ character: Character) -> Bool {
        if let ascii = character.asciiValue { return ascii >= 0x20 && ascii < 0x7F }
        return character.unicodeScalars.allSatisfy { nc_wcwidth(wchar_t(bitPattern: $0.value)) >= 0 }
    }

    /// Cells taken by `text`.
    public static func width(of text: String) -> Int {
        var total = 0
        for character in text { total += width(of: character) }
        return total
    }

    /// The longest start of `text` that fits in `cells`, and its width.
    public static func prefix(_ text: String, fitting cells: Int) -> (text: String, width: Int) {
        var result = ""
        var used = 0
        for character in text {
            let cells2 = width(of: character)
            if used + cells2 > cells { break }
            result.append(character)
            used += cells2
        }
        return (result, used)
    }

    /// `text` cut to `cells` (ending with `…` when cut) and padded with spaces to exactly
    /// `cells`.
    public static func fit(_ text: String, _ cells: Int, alignRight: Bool = false) -> String {
        guard cells > 0 else { return "" }
        let total = width(of: text)
        if total <= cells {
            let padding = String(repeating: " ", count: cells - total)
            return alignRight ? padding + text : text + padding
        }
        let (head, used) = prefix(text, fitting: cells - 1)
        return head + "…" + String(repeating: " ", count: cells - 1 - used)
    }
}

extension Character {
    var isASCII: Bool { asciiValue != nil }
}
