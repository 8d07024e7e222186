import NIOConcurrencyHelpers
import Testing

@testable import SocketIOAdmin

@Suite struct InMemoryAdminSessionStoreTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let offset = NIOLockedValueBox(Duration.zero)
        private let origin = ContinuousClock.now
        var now: ContinuousClock.Instant { origin + offset.withLockedValue { $0 } }
        func advance(_ duration: Duration) { offset.withLockedValue { $0 += duration } }
    }

    @Test func keepsASessionForTwentyFourHours() async {
        let clock = ManualClock()
        let store = InMemoryAdminSessionStore(now: { clock.now })
        await store.saveSession("123")
        #expect(await store.doesSessionExist("123"))
        #expect(await !store.doesSessionExist("456"))
        clock.advance(.seconds(86_399))
        #expect(await store.doesSessionExist("123"))
        clock.advance(.seconds(1))
        #expect(await !store.doesSessionExist("123"))
    }

    @Test func forgetsExpiredSessionsWhenSavingNewOnes() async {
        let clock = ManualClock()
        let store = InMemoryAdminSessionStore(sessionDuration: .seconds(10), now: { clock.now })
        for index in 0..<100 { await store.saveSession("old\(index)") }
        clock.advance(.seconds(11))
        await store.saveSession("new")
        #expect(store.count == 1)
        #expect(await store.doesSessionExist("new"))
    }
}
