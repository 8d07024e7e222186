import EngineIO
import NIOCore
import NIOPosix
import Testing
@testable import TestSupport

@Suite struct ManualTimerSourceTests {
    private let loop = MultiThreadedEventLoopGroup.singleton.next()

    @Test func timersFireOnlyWhenTheClockPassesThemInDeadlineOrder() async throws {
        let clock = ManualTimerSource()
        let fired = Recorder<String>()
        _ = clock.scheduleTask(on: loop, in: .seconds(2)) { fired.append("two") }
        _ = clock.scheduleTask(on: loop, in: .seconds(1)) { fired.append("one") }
        _ = clock.scheduleTask(on: loop, in: .seconds(3)) { fired.append("three") }
        #expect(clock.pendingDelays == [.seconds(2), .seconds(1), .seconds(3)])
        clock.advance(by: .milliseconds(999))
        // A round trip through the loop: anything queued there before has run.
        try await loop.submit {}.get()
        #expect(fired.values.isEmpty)
        clock.advance(by: .milliseconds(1001))
        try await loop.submit {}.get()
        #expect(fired.values == ["one", "two"])
        #expect(clock.pendingDelays == [.seconds(3)])
        #expect(clock.elapsed == .seconds(2))
    }

    @Test func aCancelledTimerNeverRunsAndIsNoLongerPending() async throws {
        let clock = ManualTimerSource()
        let fired = Recorder<Int>()
        let timer = clock.scheduleTask(on: loop, in: .seconds(1)) { fired.append(1) }
        timer.cancel()
        #expect(!clock.hasPending(delay: .seconds(1)))
        clock.advance(by: .seconds(5))
        try await loop.submit {}.get()
        #expect(fired.values.isEmpty)
        await #expect(throws: EventLoopError.cancelled) { try await timer.futureResult.get() }
    }

    @Test func aFiredTimerCompletesItsFuture() async throws {
        let clock = ManualTimerSource()
        let timer = clock.scheduleTask(on: loop, in: .milliseconds(10)) {}
        #expect(await clock.advanceWhenArmed(.milliseconds(10)))
        try await timer.futureResult.get()
    }

    @Test func advanceWhenArmedGivesUpWithoutMovingTheClock() async {
        let clock = ManualTimerSource()
        #expect(await clock.advanceWhenArmed(.seconds(1), within: .milliseconds(50)) == false)
        #expect(clock.elapsed == .zero)
    }

    @Test func nowMovesWithTheClockOnly() {
        let clock = ManualTimerSource()
        let start = clock.now
        clock.advance(by: .seconds(7))
        #expect(clock.now - start == .seconds(7))
    }
}
