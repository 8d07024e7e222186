import Foundation
import SocketIO
import Testing

@Suite struct JavaScriptDateTests {
    @Test func writesDatesAsJavaScriptsToISOString() {
        #expect(JavaScriptDate.isoString(millisecondsSince1970: 0) == "1970-01-01T00:00:00.000Z")
        #expect(JavaScriptDate.isoString(millisecondsSince1970: 1_700_000_000_123) == "2023-11-14T22:13:20.123Z")
        #expect(JavaScriptDate.isoString(millisecondsSince1970: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
        #expect(JavaScriptDate.isoString(millisecondsSince1970: -1) == "1969-12-31T23:59:59.999Z")
    }

    @Test func writesYearsOutsideFourDigitsSignedWithSixAsJavaScriptDoes() {
        #expect(JavaScriptDate.isoString(millisecondsSince1970: 8_640_000_000_000_000) == "+275760-09-13T00:00:00.000Z")
        #expect(JavaScriptDate.isoString(millisecondsSince1970: -8_640_000_000_000_000) == "-271821-04-20T00:00:00.000Z")
        #expect(JavaScriptDate.isoString(millisecondsSince1970: -62_198_755_200_000) == "-000001-01-01T00:00:00.000Z")
    }

    @Test func agreesWithFoundationOverManyDates() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var milliseconds: Int64 = 0
        for _ in 0..<2000 {
            milliseconds += 7_777_777_777 // about 90 days, never a whole second
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            #expect(JavaScriptDate.isoString(millisecondsSince1970: milliseconds) == formatter.string(from: date))
        }
    }
}
