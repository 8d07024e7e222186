@testable import EngineIO
import Testing
@testable import TestSupport

@Suite struct QueryStringTests {
    @Test func parsesAndPercentDecodes() {
        let query = QueryString.parse("/engine.io/?EIO=4&transport=polling&name=a%20b+c&empty=&flag&x=%E6%88%BF")
        #expect(query["EIO"] == "4")
        #expect(query["transport"] == "polling")
        #expect(query["name"] == "a b c")
        #expect(query["empty"] == "")
        #expect(query["flag"] == "")
        #expect(query["x"] == "房")
    }

    @Test func firstValueWinsAndMalformedEscapesStay() {
        let query = QueryString.parse("/p?a=1&a=2&b=%zz&c=%4")
        #expect(query["a"] == "1")
        #expect(query["b"] == "%zz")
        #expect(query["c"] == "%4")
        #expect(QueryString.parse("/p").isEmpty)
    }
}
