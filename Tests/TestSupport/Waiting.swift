import NIOConcurrencyHelpers

/// A value other threads set once and a test waits for, with a bound.
package final class Signal<Value: Sendable>: Sendable {
    private let box = NIOLockedValueBox<Value?>(nil)

    package init() {}

    /// Sets the value; later calls are ignored.
    package func set(_ value: Value) {
        box.withLockedValue { if $0 == nil { $0 = value } }
    }

    package var current: Value? { box.withLockedValue { $0 } }

    /// The value, or `nil` when `timeout` passed first.
    package func wait(timeout: Duration = .seconds(30)) async -> Value? {
        _ = await eventually(timeout: timeout) { current != nil }
        return current
    }
}

/// A list other threads append to.
package final class Recorder<Value: Sendable>: Sendable {
    private let box = NIOLockedValueBox<[Value]>([])
    package init() {}
    package func append(_ value: Value) { box.withLockedValue { $0.append(value) } }
    package var values: [Value] { box.withLockedValue { $0 } }
}

/// Polls `condition` until it holds or `timeout` passes.
package func eventually(timeout: Duration = .seconds(30), _ condition: () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}


/// Polls an asynchronous `condition` (one that must hop to an event loop, say) until it
/// holds or `timeout` passes.
package func eventually(timeout: Duration = .seconds(30), _ condition: () async -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
