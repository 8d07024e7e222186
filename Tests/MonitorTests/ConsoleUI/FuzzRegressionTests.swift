import ConsoleUI
import Testing

/// Inputs on which the fuzz targets (Fuzz/) crashed, fed as they came.
@Suite("Fuzz regressions (console)")
struct ConsoleFuzzRegressionTests {
    @Test("a colour that is only slashes is an error naming its line, not a crash", arguments: ["/", "//", "7 on /", "/ bold"])
    func slashColour(style: String) {
        #expect(throws: ThemeError.self) { try Theme.parse("text = 7\nborder = \(style)\n", name: "t") }
        do {
            _ = try Theme.parse("text = 7\nborder = \(style)\n", name: "t")
        } catch {
            #expect(error.line == 2)
        }
    }

    @Test("the fuzzer's own input, a mangled theme file with \"border =3 /#…\", is refused")
    func fuzzedThemeFile() {
        let text = "# x\ndim                = 231/bright-white\nborder             =3 /#1 2sioconsole\n"
        #expect(throws: ThemeError.self) { try Theme.parse(text, name: "t") }
    }
}
