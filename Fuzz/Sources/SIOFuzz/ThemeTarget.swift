import ConsoleUI

/// The theme file parser: `themes/*.theme` or any file an operator points `--theme` at.
enum ThemeTarget {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let theme = try? Theme.parse(text, name: "fuzz") else { return }
        for role in Role.allCases {
            for colors in [8, 16, 256] {
                _ = theme.spec(role).foreground?.resolved(colors: colors)
                _ = theme.spec(role).background?.resolved(colors: colors)
            }
        }
    }
}
