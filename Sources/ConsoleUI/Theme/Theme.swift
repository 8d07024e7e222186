/// What a piece of the screen is, which a theme gives colours to.
public enum Role: String, Sendable, CaseIterable, Hashable {
    /// Ordinary text.
    case text
    /// Less important text (timestamps, hints).
    case dim
    /// Pane borders.
    case border
    /// The border of the pane with the focus.
    case borderFocus = "border.focus"
    /// Pane titles.
    case title
    /// The header's labels.
    case header
    /// The header's values.
    case headerValue = "header.value"
    /// Column headings of tables.
    case column
    /// The selected row in the pane with the focus.
    case selection
    /// The selected row in other panes.
    case selectionInactive = "selection.inactive"
    /// Packets from clients.
    case inbound
    /// Packets to clients.
    case outbound
    /// Connections, disconnections, joins, leaves.
    case system
    /// Acknowledgements and replies.
    case ack
    /// Errors and refusals.
    case error
    /// Successful actions.
    case success
    /// Warnings (dropped packets, paused, read-only).
    case warning
    /// The inbound sparkline.
    case chartIn = "chart.in"
    /// The outbound sparkline.
    case chartOut = "chart.out"
    /// The bottom key bar.
    case keybar
    /// Keys in the key bar.
    case keybarKey = "keybar.key"
    /// The command line.
    case prompt
}

/// A colour of a theme: an index of the 256-colour palette (or the terminal's default),
/// and optionally the 16-colour one to use where 256 are not available.
public struct ThemeColor: Sendable, Equatable {
    /// 0–255, or -1 for the terminal's default colour.
    public var index: Int
    /// 0–15, used on 8- and 16-colour terminals instead of the nearest match.
    public var fallback: Int?

    /// The terminal's default colour.
    public static let terminalDefault = ThemeColor(index: -1, fallback: nil)

    /// Creates a colour.
    public init(index: Int, fallback: Int? = nil) {
        self.index = index
        self.fallback = fallback
    }

    /// The colour on a terminal with `colors` colours (8, 16 or 256).
    public func resolved(colors: Int) -> Int {
        guard index >= 0 else { return -1 }
        if colors >= 256 { return index }
        let limit = colors >= 16 ? 16 : 8
        if let fallback { return limit == 8 ? fallback % 8 : fallback }
        if index < limit { return index }
        if index < 16 { return index - 8 }
        return Palette.nearest(to: index, among: limit)
    }
}

/// Text attributes a theme may set.
public enum TextAttribute: String, Sendable, CaseIterable, Hashable {
    /// Bold.
    case bold
    /// Dim.
    case dim
    /// Underlined.
    case underline
    /// Reverse video.
    case reverse
    /// Italic.
    case italic
}

/// How one role looks: colours and attributes.
public struct StyleSpec: Sendable, Equatable {
    /// The text colour, or `nil` for the terminal's.
    public var foreground: ThemeColor?
    /// The background, or `nil` for the terminal's.
    public var background: ThemeColor?
    /// Attributes.
    public var attributes: Set<TextAttribute>

    /// Creates a style.
    public init(foreground: ThemeColor? = nil, background: ThemeColor? = nil, attributes: Set<TextAttribute> = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

/// A colour theme: a style per ``Role``.
///
/// The file format (`themes/*.theme`) is one role per line, `#` starts a comment:
///
/// ```
/// name      = dark
/// text      = 252
/// title     = 75/cyan bold
/// selection = 16 on 75/cyan bold
/// error     = 203/bright-red bold
/// ```
///
/// A colour is a 256-colour palette index (0–255), a name (`black`, `red`, `green`,
/// `yellow`, `blue`, `magenta`, `cyan`, `white`, `bright-black` … `bright-white`), or
/// `default`; `N/name` gives the colour to use on 8- and 16-colour terminals (otherwise the
/// nearest one is picked). `on COLOUR` sets the background. Attributes: `bold`, `dim`,
/// `underline`, `reverse`, `italic`. Roles left out look like `text`.
public struct Theme: Sendable, Equatable {
    /// The theme's name.
    public var name: String
    /// The styles given.
    public var styles: [Role: StyleSpec]

    /// Creates a theme.
    public init(name: String, styles: [Role: StyleSpec]) {
        self.name = name
        self.styles = styles
    }

    /// The style of `role` (the `text` style when the theme leaves it out).
    public func spec(_ role: Role) -> StyleSpec {
        styles[role] ?? styles[.text] ?? StyleSpec()
    }

    /// Parses a theme file.
    ///
    /// - Parameters:
    ///   - text: The file's content.
    ///   - name: The name to use when the file has no `name =` line.
    /// - Returns: The theme.
    /// - Throws: ``ThemeError`` naming the line that is wrong.
    public static func parse(_ text: String, name: String) throws(ThemeError) -> Theme {
        var theme = Theme(name: name, styles: [:])
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingCharacters(in: " \t\r")
            guard !trimmed.isEmpty else { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw ThemeError(line: number + 1, message: "expected role = style")
            }
            let key = trimmed[..<equals].trimmingCharacters(in: " \t").lowercased()
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: " \t")
            if key == "name" {
                guard !value.isEmpty else { throw ThemeError(line: number + 1, message: "empty name") }
                theme.name = value
                continue
            }
            guard let role = Role(rawValue: key) else {
                throw ThemeError(line: number + 1, message: "unknown role \"\(key)\" (roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            do {
                theme.styles[role] = try parseStyle(value)
            } catch {
                throw ThemeError(line: number + 1, message: error.message)
            }
        }
        return theme
    }

    static func parseStyle(_ text: String) throws(ThemeError) -> StyleSpec {
        var spec = StyleSpec()
        var expectBackground = false
        var sawForeground = false
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map({ String($0).lowercased() }) {
            if word == "on" {
                expectBackground = true
                continue
            }
            if let attribute = TextAttribute(rawValue: word) {
                spec.attributes.insert(attribute)
                continue
            }
            let color = try parseColor(word)
            if expectBackground {
                spec.background = color
                expectBackground = false
            } else if !sawForeground {
                spec.foreground = color
                sawForeground = true
            } else {
                throw ThemeError(line: 0, message: "two foreground colours: use \"on\" before the background")
            }
        }
        if expectBackground { throw ThemeError(line: 0, message: "\"on\" needs a colour") }
        return spec
    }

    static func parseColor(_ word: String) throws(ThemeError) -> ThemeColor {
        let parts = word.split(separator: "/", maxSplits: 1).map(String.init)
        // A word of slashes alone ("/", "//") splits into no parts at all.
        guard let name = parts.first, let index = colorIndex(name) else {
            throw ThemeError(line: 0, message: "unknown colour or attribute \"\(word)\"")
        }
        var fallback: Int?
        if parts.count == 2 {
            guard let value = colorIndex(parts[1]), value >= 0, value < 16 else {
                throw ThemeError(line: 0, message: "the fallback of \"\(word)\" must be one of the 16 basic colours")
            }
            fallback = value
        }
        return ThemeColor(index: index, fallback: fallback)
    }

    static let colorNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    static func colorIndex(_ word: String) -> Int? {
        if word == "default" { return -1 }
        if let number = Int(word), number >= 0, number <= 255 { return number }
        if let basic = colorNames.firstIndex(of: word) { return basic }
        if word.hasPrefix("bright-"), let basic = colorNames.firstIndex(of: String(word.dropFirst(7))) { return basic + 8 }
        return nil
    }
}

/// A theme file that does not parse.
public struct ThemeError: Error, Sendable, CustomStringConvertible {
    /// The line (1-based), 0 when unknown.
    public var line: Int
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    /// The line and message.
    public var description: String { line > 0 ? "line \(line): \(message)" : message }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}

/// The xterm 256-colour palette, for choosing the nearest basic colour.
enum Palette {
    static let basic: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func rgb(_ index: Int) -> (Int, Int, Int) {
        if index < 16 { return basic[index] }
        if index >= 232 {
            let level = 8 + (index - 232) * 10
            return (level, level, level)
        }
        let cube = index - 16
        let steps = [0, 95, 135, 175, 215, 255]
        return (steps[cube / 36], steps[(cube / 6) % 6], steps[cube % 6])
    }

    static func nearest(to index: Int, among count: Int) -> Int {
        let (r, g, b) = rgb(index)
        var best = 0
        var bestDistance = Int.max
        for candidate in 0..<count {
            let (cr, cg, cb) = basic[candidate]
            let distance = (r - cr) * (r - cr) + (g - cg) * (g - cg) + (b - cb) * (b - cb)
            if distance < bestDistance {
                bestDistance = distance
                best = candidate
            }
        }
        return best
    }
}
