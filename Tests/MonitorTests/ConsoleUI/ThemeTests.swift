import Foundation
import Testing
@testable import ConsoleUI

@Suite struct ThemeTests {
    /// The package's themes/ folder, from this file's path.
    static let themesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes").path

    @Test func theShippedThemeFilesParseAndMatchTheBuiltInCopies() throws {
        let library = ThemeLibrary(searchPaths: [Self.themesFolder])
        #expect(Set(["dark", "light", "high-contrast"]).isSubset(of: Set(library.names)))
        for (name, text) in BuiltinThemes.sources {
            let file = try String(contentsOfFile: Self.themesFolder + "/" + name + ".theme", encoding: .utf8)
            #expect(file == text + "\n", "themes/\(name).theme differs from BuiltinThemes")
            let theme = try Theme.parse(file, name: name)
            #expect(theme.name == name)
            // Every role is styled explicitly, so nothing depends on fallbacks.
            #expect(Set(theme.styles.keys) == Set(Role.allCases), "\(name) leaves roles out")
        }
    }

    @Test func theFormatReadsColoursFallbacksBackgroundsAndAttributes() throws {
        let theme = try Theme.parse("""
            # comment
            name = mine
            text = 252
            selection = 16/black on 75/cyan bold underline   # trailing comment
            error = bright-red
            border = default on default
            """, name: "file")
        #expect(theme.name == "mine")
        #expect(theme.spec(.selection) == StyleSpec(foreground: ThemeColor(index: 16, fallback: 0),
                                                    background: ThemeColor(index: 75, fallback: 6),
                                                    attributes: [.bold, .underline]))
        #expect(theme.spec(.error).foreground == ThemeColor(index: 9))
        #expect(theme.spec(.border).background == .terminalDefault)
        #expect(theme.spec(.inbound) == theme.spec(.text))
    }

    @Test func mistakesNameTheirLine() {
        for (text, fragment) in [("colour = 1", "unknown role"), ("text = 300", "unknown colour"), ("text = 1 2", "two foreground"),
                                 ("text = 1 on", "needs a colour"), ("text = 75/200", "16 basic"), ("just words", "expected")] {
            do {
                _ = try Theme.parse("name = x\n" + text, name: "x")
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.line == 2)
                #expect(error.message.contains(fragment), "\(error.message)")
            }
        }
    }

    @Test func coloursFallBackOnTerminalsWithFewerColours() {
        #expect(ThemeColor(index: 75, fallback: 6).resolved(colors: 256) == 75)
        #expect(ThemeColor(index: 75, fallback: 12).resolved(colors: 16) == 12)
        #expect(ThemeColor(index: 75, fallback: 12).resolved(colors: 8) == 4)
        #expect(ThemeColor(index: 196).resolved(colors: 16) == 9)    // pure red → bright red
        #expect(ThemeColor(index: 196).resolved(colors: 8) == 1)
        #expect(ThemeColor(index: 232).resolved(colors: 8) == 0)     // near black
        #expect(ThemeColor(index: 13).resolved(colors: 8) == 5)
        #expect(ThemeColor.terminalDefault.resolved(colors: 8) == -1)
    }

    @Test func themesLoadByNameOrPathAndUnknownNamesAreListed() throws {
        let library = ThemeLibrary(searchPaths: ["/nonexistent"])
        #expect(try library.load("light").name == "light")
        #expect(try ThemeLibrary(searchPaths: []).load(Self.themesFolder + "/high-contrast.theme").name == "high-contrast")
        do {
            _ = try library.load("neon")
            Issue.record("loaded a missing theme")
        } catch {
            #expect(error.message.contains("no theme \"neon\""))
            #expect(error.message.contains("dark"))
        }
    }
}

@Suite struct KeymapTests {
    let keymap = Keymap()

    @Test func kKicksInTheSocketsTableAndMovesUpElsewhere() {
        #expect(keymap.action(for: .character("k"), in: .sockets) == .kick)
        #expect(keymap.action(for: .character("K"), in: .details) == .kickClose)
        #expect(keymap.action(for: .character("k"), in: .log) == .up)
        #expect(keymap.action(for: .character("k"), in: .tree) == .up)
        #expect(keymap.action(for: .up, in: .sockets) == .up)
        #expect(keymap.action(for: .character("j"), in: .sockets) == .down)
    }

    @Test func globalKeysWorkEverywhere() {
        for context in KeyContext.allCases {
            #expect(keymap.action(for: .character("?"), in: context) == .help)
            #expect(keymap.action(for: .character(":"), in: context) == .command)
            #expect(keymap.action(for: .character("/"), in: context) == .filter)
            #expect(keymap.action(for: .character("q"), in: context) == .quit)
            #expect(keymap.action(for: .character("p"), in: context) == .pause)
        }
        #expect(keymap.action(for: .escape, in: .details) == .back)
        #expect(keymap.action(for: .tab, in: .tree) == .nextPane)
        #expect(keymap.action(for: .enter, in: .log) == .open)
        #expect(keymap.action(for: .character("x"), in: .log) == nil)
    }

    @Test func theKeyBarShowsWhatAppliesInEachContext() {
        let sockets = keymap.barItems(in: .sockets).map(\.name)
        #expect(sockets.starts(with: ["Kick", "Close", "Open"]))
        #expect(sockets.contains("Quit") && sockets.contains("Help"))
        let log = keymap.barItems(in: .log).map(\.name)
        #expect(!log.contains("Kick"))
        #expect(log.contains("Follow"))
        #expect(keymap.barItems(in: .tree).map(\.name).contains("Id-rooms"))
        #expect(keymap.barItems(in: .details).map(\.name).contains("Back"))
    }
}
