import EngineIO
import Testing

@Suite struct QueryValueTests {
    @Test("a string literal is one value, an array literal several, even with one element as in JavaScript")
    func literals() {
        let one: QueryValue = "a"
        let many: QueryValue = ["a", "b"]
        let listOfOne: QueryValue = ["a"]
        #expect(one == .single("a"))
        #expect(many == .multiple(["a", "b"]))
        #expect(listOfOne == .multiple(["a"]))
        #expect(listOfOne != one)
    }

    @Test("values, first and last read both shapes; stringValue is nil for a repeated name")
    func accessors() {
        let one: QueryValue = "x"
        let many: QueryValue = ["1", "2", "3"]
        #expect(one.values == ["x"] && many.values == ["1", "2", "3"])
        #expect(one.first == "x" && many.first == "1")
        #expect(one.last == "x" && many.last == "3")
        #expect(one.stringValue == "x")
        #expect(many.stringValue == nil)
        #expect(QueryValue.multiple([]).first == nil)
    }

    @Test("description is JavaScript's String(value): the string, or the array joined with commas")
    func descriptionIsJavaScriptStringConversion() {
        #expect(QueryValue.single("a b").description == "a b")
        #expect(QueryValue.multiple(["1", "2"]).description == "1,2")
        #expect("\(QueryValue.multiple(["1", "2"]))" == "1,2")
    }
}
