package import NIOCore

extension EventLoop {
    /// Runs `body` at once when called on this loop, else as soon as the loop gets to it:
    /// how the client's public methods, callable from any thread, reach their state.
    package func run(_ body: @escaping @Sendable () -> Void) {
        if inEventLoop {
            body()
        } else {
            execute(body)
        }
    }
}
