@testable import EngineIO
import NIOHTTP1
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

    @Test("the engine's flat query keeps the first value of a repeated name; malformed escapes stay")
    func firstValueWinsAndMalformedEscapesStay() {
        let query = QueryString.parse("/p?a=1&a=2&b=%zz&c=%4")
        #expect(query["a"] == "1")
        #expect(query["b"] == "%zz")
        #expect(query["c"] == "%4")
        #expect(QueryString.parse("/p").isEmpty)
    }

    @Test("queryValues has Node's querystring shape: a string once, an array in order when repeated")
    func repeatedNamesBecomeArrays() {
        let query = QueryString.parseValues("/socket.io/?EIO=4&tag=a&x=1&tag=b&tag=c+d&flag&flag=")
        #expect(query["EIO"] == .single("4"))
        #expect(query["x"] == "1")
        #expect(query["tag"] == .multiple(["a", "b", "c d"]))
        // `flag` then `flag=`: two empty strings, as Node's `{ flag: ["", ""] }`.
        #expect(query["flag"] == ["", ""])
        #expect(query.count == 4)
    }

    @Test("queryValues decodes as querystring does: + is a space, %XX decoded, bad escapes kept, empty pieces skipped")
    func valuesDecodeAsQuerystring() {
        let query = QueryString.parseValues("/p?&name=ada+lovelace&&sym=%2B&bad=%zz&bad=%4&=v&u=%E6%88%BF")
        #expect(query["name"] == "ada lovelace")
        #expect(query["sym"] == "+")
        #expect(query["bad"] == ["%zz", "%4"])
        #expect(query[""] == "v")
        #expect(query["u"] == "房")
        #expect(query.count == 5)
        #expect(QueryString.parseValues("/p").isEmpty)
        #expect(QueryString.parseValues("/p?").isEmpty)
    }

    @Test("a request's query stays flat for the engine while queryValues keeps every value")
    func engineRequestOffersBothForms() {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/engine.io/?EIO=4&transport=polling&a=1&a=2")
        let request = EngineRequest(head: head, remoteAddress: nil, localAddress: nil)
        #expect(request.query["a"] == "1")
        #expect(request.queryValues["a"] == ["1", "2"])
        #expect(request.queryValues["transport"] == "polling")
    }
}
