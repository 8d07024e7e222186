/// Where screens draw: the ncurses screen, or an in-memory grid in tests.
///
/// Text is placed by display cells; a string that does not fit its `width` is cut, and
/// whatever is drawn is made printable first (``TextWidth/isPrintable(_:)``).
public protocol Canvas {
    /// Rows on the screen.
    var rows: Int { get }
    /// Columns on the screen.
    var columns: Int { get }
    /// Blanks everything.
    mutating func clear()
    /// Draws `text` at (`row`, `column`) in at most `width` cells with `style`; with
    /// `fill`, pads the rest of `width` with blanks in the same style.
    mutating func draw(_ text: String, row: Int, column: Int, width: Int, style: Style, fill: Bool)
    /// Puts the cursor (for the command line), or hides it with `nil`.
    mutating func setCursor(row: Int, column: Int, visible: Bool)
}

/// How text looks: a theme role plus optional extra attributes.
public struct Style: Sendable, Hashable {
    /// The role (its colours come from the theme).
    public var role: Role
    /// Bold on top of the role.
    public var bold: Bool
    /// Reverse video on top of the role.
    public var reverse: Bool

    /// Creates a style.
    public init(_ role: Role, bold: Bool = false, reverse: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
    }
}

extension Canvas {
    /// Draws `text` cut to `width`, without padding.
    mutating func put(_ text: String, row: Int, column: Int, width: Int, _ role: Role) {
        draw(text, row: row, column: column, width: width, style: Style(role), fill: false)
    }

    /// Draws a box with an optional title; the title is cut to fit.
    mutating func box(top: Int, left: Int, height: Int, width: Int, style: Style, title: String?, titleStyle: Style) {
        guard height >= 2, width >= 2 else { return }
        let horizontal = String(repeating: "─", count: width - 2)
        draw("┌" + horizontal + "┐", row: top, column: left, width: width, style: style, fill: false)
        for row in (top + 1)..<(top + height - 1) {
            draw("│", row: row, column: left, width: 1, style: style, fill: false)
            draw("│", row: row, column: left + width - 1, width: 1, style: style, fill: false)
        }
        draw("└" + horizontal + "┘", row: top + height - 1, column: left, width: width, style: style, fill: false)
        if let title, width > 6 {
            draw(" " + title + " ", row: top, column: left + 2, width: width - 4, style: titleStyle, fill: false)
        }
    }
}

/// An in-memory canvas: a grid of cells, for tests and for measuring layouts.
public struct GridCanvas: Canvas {
    /// One cell: a character (`nil` for the second half of a wide one) and its style.
    public struct Cell: Sendable, Equatable {
        /// The character.
        public var character: Character?
        /// The style.
        public var style: Style
    }

    public private(set) var rows: Int
    public private(set) var columns: Int
    /// The cells, row by row.
    public private(set) var cells: [[Cell]]
    /// Where the cursor is, if shown.
    public private(set) var cursor: (row: Int, column: Int)?

    /// Creates a blank grid.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        cells = Array(repeating: Array(repeating: Cell(character: " ", style: Style(.text)), count: columns), count: rows)
    }

    public mutating func clear() {
        cells = Array(repeating: Array(repeating: Cell(character: " ", style: Style(.text)), count: columns), count: rows)
    }

    public mutating func draw(_ text: String, row: Int, column: Int, width: Int, style: Style, fill: Bool) {
        guard row >= 0, row < rows, column >= 0, column < columns, width > 0 else { return }
        let limit = min(columns, column + width)
        var x = column
        for character in text {
            let shown = TextWidth.isPrintable(character) ? character : "?"
            let cells2 = TextWidth.width(of: shown)
            guard x + cells2 <= limit else {
                if x < limit, cells2 == 2 { cells[row][x] = Cell(character: " ", style: style) }
                x = limit
                break
            }
            cells[row][x] = Cell(character: shown, style: style)
            if cells2 == 2 { cells[row][x + 1] = Cell(character: nil, style: style) }
            x += cells2
        }
        if fill {
            while x < limit {
                cells[row][x] = Cell(character: " ", style: style)
                x += 1
            }
        }
    }

    public mutating func setCursor(row: Int, column: Int, visible: Bool) {
        cursor = visible ? (row, column) : nil
    }

    /// Row `row` as text (wide characters once).
    public func text(row: Int) -> String {
        String(cells[row].compactMap(\.character))
    }

    /// The whole screen as lines.
    public var lines: [String] { (0..<rows).map { text(row: $0) } }
}
