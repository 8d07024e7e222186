import CNcursesw
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the full-screen console cannot start.
public struct ConsoleError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and what to do, for the operator.
    public let message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// How many colours the screen uses.
public enum ColorMode: String, Sendable {
    /// No colours (NO_COLOR, or a terminal without them): attributes only.
    case monochrome
    /// The 8 basic colours.
    case eight
    /// 16 colours.
    case sixteen
    /// The 256-colour palette.
    case full
}

/// The ncurses session: checks the terminal, starts the screen on a private copy of the
/// terminal's descriptors, sends stdout and stderr to the log (or /dev/null) while it runs
/// so nothing else can write on the screen, and puts everything back when it ends.
final class CursesTerminal {
    typealias Window = UnsafeMutablePointer<WINDOW>

    private(set) var window: Window
    private let screen: OpaquePointer
    private let output: UnsafeMutablePointer<FILE>
    private let input: UnsafeMutablePointer<FILE>
    private let savedStdout: Int32
    private let savedStderr: Int32
    private var savedSettings = termios()
    private var ended = false
    private(set) var colorMode: ColorMode = .monochrome
    private var stylePairs: [Role: (attributes: attr_t, pair: Int32)] = [:]
    private(set) var theme: Theme

    /// Starts the screen.
    ///
    /// - Parameters:
    ///   - theme: The colours.
    ///   - logPath: Where stdout and stderr go while the screen is up; `nil` for /dev/null.
    /// - Throws: ``ConsoleError`` when there is no terminal or no terminfo entry for it.
    init(theme: Theme, logPath: String?) throws(ConsoleError) {
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw ConsoleError("sioconsole needs a terminal on stdin and stdout; use --headless for scripts and pipes")
        }
        TextWidth.ensureUTF8Locale()
        let termName = getenv("TERM").map { String(cString: $0) } ?? ""
        guard !termName.isEmpty else {
            throw ConsoleError("TERM is not set, so the terminal type is unknown: set it (e.g. TERM=xterm-256color) or use --headless")
        }
        var status: Int32 = 0
        if setupterm(nil, 1, &status) != OK {
            if status == -1 {
                throw ConsoleError("no terminfo database found for TERM=\(termName): install ncurses-base/ncurses-term, or use --headless")
            }
            throw ConsoleError("the terminal type \"\(termName)\" has no terminfo entry: set TERM to one your system knows (e.g. TERM=xterm-256color), install ncurses-term, or use --headless")
        }
        tcgetattr(1, &savedSettings)
        // Curses writes to its own copies of the terminal's descriptors, so that 1 and 2
        // can be pointed at the log.
        let outputDescriptor = dup(1), inputDescriptor = dup(0)
        guard let output = fdopen(outputDescriptor, "w"), let input = fdopen(inputDescriptor, "r") else {
            throw ConsoleError("cannot open the terminal: \(String(cString: strerror(errno)))")
        }
        guard let screen = newterm(nil, output, input) else {
            fclose(output)
            fclose(input)
            throw ConsoleError("ncurses could not start on TERM=\(termName): try TERM=xterm-256color or use --headless")
        }
        self.output = output
        self.input = input
        self.screen = screen
        set_term(screen)
        guard let window = nc_stdscr() else {
            endwin()
            throw ConsoleError("ncurses gave no screen")
        }
        self.window = window
        self.theme = theme
        savedStdout = dup(1)
        savedStderr = dup(2)
        let sink = logPath.map { open($0, O_WRONLY | O_APPEND | O_CREAT, 0o644) } ?? open("/dev/null", O_WRONLY)
        if sink >= 0 {
            dup2(sink, 1)
            dup2(sink, 2)
            close(sink)
        }
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        nc_set_escdelay(25)
        curs_set(0)
        wtimeout(window, 50)
        mousemask(NC_ALL_MOUSE_EVENTS | NC_REPORT_MOUSE_POSITION, nil)
        mouseinterval(0)
        setUpColors()
        apply(theme: theme)
        SignalTrap.armCrashRestore(descriptor: outputDescriptor, settings: savedSettings, restore: Self.restoreSequence())
    }

    deinit {
        end()
    }

    /// Ends the screen and puts the terminal, stdout and stderr back. Idempotent.
    func end() {
        guard !ended else { return }
        ended = true
        SignalTrap.disarmCrashRestore()
        curs_set(1)
        endwin()
        fflush(output)
        delscreen(screen)
        fclose(output)
        fclose(input)
        dup2(savedStdout, 1)
        dup2(savedStderr, 2)
        close(savedStdout)
        close(savedStderr)
    }

    /// The escape sequences that leave full-screen mode, from terminfo.
    private static func restoreSequence() -> [UInt8] {
        var bytes: [UInt8] = []
        for capability in ["sgr0", "cnorm", "rmkx", "rmcup"] {
            if let value = nc_tigetstr(capability) {
                bytes.append(contentsOf: Array(String(cString: value).utf8))
            }
        }
        // Mouse reporting off (X10, button-event, any-event, SGR).
        bytes.append(contentsOf: Array("\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1006l".utf8))
        return bytes
    }

    // MARK: Size and input

    var rows: Int { Int(getmaxy(window)) }
    var columns: Int { Int(getmaxx(window)) }

    /// The next key, waiting at most the tick (50 ms); `nil` on timeout.
    func readKey() -> InputEvent? {
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if result == ERR { return nil }
        if result == KEY_CODE_YES {
            switch Int32(character) {
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_ENTER: return .key(.enter)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_DC: return .key(.delete)
            case KEY_BTAB: return .key(.backTab)
            case KEY_RESIZE: return .resize
            case KEY_MOUSE: return mouseEvent()
            default:
                let code = Int32(character)
                if code > KEY_F0, code <= KEY_F0 + 12 { return .key(.function(Int(code - KEY_F0))) }
                return nil
            }
        }
        switch character {
        case 27: return .key(.escape)
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 127, 8: return .key(.backspace)
        case 1...26:
            return .key(.control(Character(Unicode.Scalar(UInt8(character) + 96))))
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    private func mouseEvent() -> InputEvent? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let state = event.bstate
        let row = Int(event.y), column = Int(event.x)
        if state & NC_BUTTON4_PRESSED != 0 { return .mouse(.wheelUp, row: row, column: column) }
        if state & NC_BUTTON5_PRESSED != 0 { return .mouse(.wheelDown, row: row, column: column) }
        if state & NC_BUTTON1_DOUBLE_CLICKED != 0 { return .mouse(.doubleClick, row: row, column: column) }
        if state & (NC_BUTTON1_PRESSED | NC_BUTTON1_CLICKED) != 0 { return .mouse(.click, row: row, column: column) }
        return nil
    }

    // MARK: Colours

    private func setUpColors() {
        let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
        guard noColor.isEmpty, has_colors() else {
            colorMode = .monochrome
            return
        }
        start_color()
        use_default_colors()
        let colors = nc_colors()
        colorMode = colors >= 256 ? .full : (colors >= 16 ? .sixteen : .eight)
    }

    /// Uses `theme` from the next refresh on.
    func apply(theme: Theme) {
        self.theme = theme
        stylePairs = [:]
        let colors = colorMode == .full ? 256 : (colorMode == .sixteen ? 16 : 8)
        let base = theme.spec(.text)
        for (index, role) in Role.allCases.enumerated() {
            let spec = theme.spec(role)
            var attributes = Self.attributes(spec.attributes)
            var pair: Int32 = 0
            if colorMode == .monochrome {
                // Without colours, selections show reversed and emphasis stays bold.
                if role == .selection || role == .keybarKey { attributes |= NC_A_REVERSE }
                if role == .error || role == .title || role == .borderFocus || role == .warning { attributes |= NC_A_BOLD }
                if role == .dim || role == .border { attributes |= NC_A_DIM }
            } else {
                let foreground = (spec.foreground ?? base.foreground)?.resolved(colors: colors) ?? -1
                let background = (spec.background ?? base.background)?.resolved(colors: colors) ?? -1
                pair = Int32(index + 1)
                nc_init_pair(pair, Int32(foreground), Int32(background))
            }
            stylePairs[role] = (attributes, pair)
        }
        if let text = stylePairs[.text] {
            wbkgdset(window, chtype(UInt32(bitPattern: COLOR_PAIR(text.pair))) | chtype(UInt8(ascii: " ")))
        }
    }

    private static func attributes(_ set: Set<TextAttribute>) -> attr_t {
        var value = NC_A_NORMAL
        for attribute in set {
            switch attribute {
            case .bold: value |= NC_A_BOLD
            case .dim: value |= NC_A_DIM
            case .underline: value |= NC_A_UNDERLINE
            case .reverse: value |= NC_A_REVERSE
            case .italic: value |= NC_A_ITALIC
            }
        }
        return value
    }

    func setStyle(_ style: Style) {
        let base = stylePairs[style.role] ?? (NC_A_NORMAL, 0)
        var attributes = base.attributes
        if style.bold { attributes |= NC_A_BOLD }
        if style.reverse { attributes |= NC_A_REVERSE }
        nc_wattr_set_ext(window, attributes, base.pair)
    }

    // MARK: Drawing

    func erase() {
        werase(window)
    }

    func refresh(clearFirst: Bool) {
        if clearFirst { clearok(window, true) }
        wrefresh(window)
    }

    func put(_ characters: [wchar_t], row: Int, column: Int) {
        guard !characters.isEmpty else { return }
        characters.withUnsafeBufferPointer { buffer in
            _ = mvwaddnwstr(window, Int32(row), Int32(column), buffer.baseAddress, Int32(buffer.count))
        }
    }

    func showCursor(row: Int, column: Int, visible: Bool) {
        if visible {
            wmove(window, Int32(row), Int32(column))
            curs_set(1)
        } else {
            curs_set(0)
        }
    }
}

/// What the terminal reported.
enum InputEvent: Equatable {
    case key(Key)
    case mouse(MouseAction, row: Int, column: Int)
    case resize
}

/// A mouse action.
public enum MouseAction: Sendable, Equatable {
    /// A click selects; a double click opens; the wheel scrolls.
    case click, doubleClick, wheelUp, wheelDown
}

/// A ``Canvas`` on the ncurses screen.
struct CursesCanvas: Canvas {
    let terminal: CursesTerminal
    let rows: Int
    let columns: Int
    var cursor: (row: Int, column: Int)?

    init(terminal: CursesTerminal) {
        self.terminal = terminal
        rows = terminal.rows
        columns = terminal.columns
    }

    mutating func clear() {
        terminal.erase()
    }

    mutating func draw(_ text: String, row: Int, column: Int, width: Int, style: Style, fill: Bool) {
        guard row >= 0, row < rows, column >= 0, column < columns, width > 0 else { return }
        let limit = min(columns, column + width)
        var characters: [wchar_t] = []
        characters.reserveCapacity(min(width, text.utf8.count) + 1)
        var x = column
        for character in text {
            let shown: Character = TextWidth.isPrintable(character) ? character : "?"
            let cells = TextWidth.width(of: shown)
            if x + cells > limit {
                if x < limit, cells == 2 {
                    characters.append(32)
                    x += 1
                }
                break
            }
            for scalar in shown.unicodeScalars { characters.append(wchar_t(bitPattern: scalar.value)) }
            x += cells
        }
        if fill {
            while x < limit {
                characters.append(32)
                x += 1
            }
        }
        // The bottom-right cell: ncurses would scroll after writing it, so leave it out.
        if row == rows - 1, x >= columns, !characters.isEmpty { characters.removeLast() }
        terminal.setStyle(style)
        terminal.put(characters, row: row, column: column)
    }

    mutating func setCursor(row: Int, column: Int, visible: Bool) {
        cursor = visible ? (row, column) : nil
    }
}
