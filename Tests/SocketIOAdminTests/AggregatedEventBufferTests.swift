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
        traffic.received(bytes: 10)
        traffic.received(bytes: 5)
        traffic.sent(bytes: 7)
        traffic.sample(atMilliseconds: 1_500)
        traffic.sent(bytes: 1)
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
