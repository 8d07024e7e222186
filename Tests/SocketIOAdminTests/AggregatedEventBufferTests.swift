import SocketIO
import Testing

@testable import SocketIOAdmin

@Suite struct AggregatedEventBufferTests {
    @Test func countsPerSecondTypeAndSubTypeInFirstSeenOrder() {
        var buffer = AggregatedEventBuffer()
        buffer.push(type: "rawConnection", atMilliseconds: 5_100)
        buffer.push(type: "rawDisconnection", subType: "transport close", atMilliseconds: 5_200)
        buffer.push(type: "rawConnection", atMilliseconds: 5_999)
        buffer.push(type: "rawConnection", atMilliseconds: 6_000)
        buffer.push(type: "bytesIn", count: 0, atMilliseconds: 6_000)
        buffer.push(type: "bytesIn", count: 42, atMilliseconds: 6_001)
        #expect(buffer.takeAll() == [
            ["timestamp": 5000, "type": "rawConnection", "count": 2],
            ["timestamp": 5000, "type": "rawDisconnection", "subType": "transport close", "count": 1],
            ["timestamp": 6000, "type": "rawConnection", "count": 1],
            ["timestamp": 6000, "type": "bytesIn", "count": 42],
        ])
        #expect(buffer.isEmpty)
        #expect(buffer.takeAll() == [])
    }

    @Test func trafficCountersLandInTheSecondOfTheirSample() {
        let traffic = TrafficCounters()
        let first = traffic.opened(), second = traffic.opened()
        first.received(bytes: 10)
        second.received(bytes: 5)
        first.sent(bytes: 7)
        traffic.sample(atMilliseconds: 1_500)
        second.sent(bytes: 1)
        // A connection that closed before the sample still counts, once.
        traffic.closed(second)
        let events = traffic.drain(atMilliseconds: 2_100)
        #expect(events == [
            ["timestamp": 1000, "type": "packetsIn", "count": 2],
            ["timestamp": 1000, "type": "packetsOut", "count": 1],
            ["timestamp": 1000, "type": "bytesIn", "count": 15],
            ["timestamp": 1000, "type": "bytesOut", "count": 7],
            ["timestamp": 2000, "type": "packetsOut", "count": 1],
            ["timestamp": 2000, "type": "bytesOut", "count": 1],
        ])
    }
}
