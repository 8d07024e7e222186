import NIOCore

/// A first-in, first-out queue between a channel handler that produces elements and test code
/// that waits for them with a deadline.
///
/// It belongs to one event loop and is only touched there, so it needs no lock. A wait that
/// times out leaves the queue, so the element that arrives next goes to the next waiter
/// instead of to a promise nobody reads.
final class TestMessageQueue<Element: Sendable> {
    private struct Waiter {
        let id: Int
        let promise: EventLoopPromise<Element>
        let timer: Scheduled<Void>
    }

    private let eventLoop: any EventLoop
    private var buffered = CircularBuffer<Element>()
    /// Non-empty only while `buffered` is empty: an element goes straight to the oldest waiter.
    private var waiters = CircularBuffer<Waiter>()
    /// Once set, nothing more is queued and every later wait gets this element.
    private var terminal: Element?
    private var nextWaiterID = 0

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Queues `element` behind the ones already waiting, unless the queue has finished.
    func push(_ element: Element) {
        self.eventLoop.preconditionInEventLoop()
        guard self.terminal == nil else { return }
        if let waiter = self.waiters.popFirst() {
            waiter.timer.cancel()
            waiter.promise.succeed(element)
        } else {
            self.buffered.append(element)
        }
    }

    /// Ends the queue: elements already queued are still delivered, then `element` forever after.
    /// Only the first call counts, so both a close frame and the TCP close may report the end.
    func finish(with element: Element) {
        self.eventLoop.preconditionInEventLoop()
        guard self.terminal == nil else { return }
        self.terminal = element
        while let waiter = self.waiters.popFirst() {
            waiter.timer.cancel()
            waiter.promise.succeed(element)
        }
    }

    /// The next element, or a future failing with ``TestClientError/timeout`` at `deadline`.
    func next(deadline: NIODeadline) -> EventLoopFuture<Element> {
        self.eventLoop.preconditionInEventLoop()
        if let element = self.buffered.popFirst() ?? self.terminal {
            return self.eventLoop.makeSucceededFuture(element)
        }
        let id = self.nextWaiterID
        self.nextWaiterID += 1
        let promise = self.eventLoop.makePromise(of: Element.self)
        let timer = self.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.expireWaiter(id: id)
        }
        self.waiters.append(Waiter(id: id, promise: promise, timer: timer))
        return promise.futureResult
    }

    private func expireWaiter(id: Int) {
        guard let index = self.waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = self.waiters.remove(at: index)
        waiter.promise.fail(TestClientError.timeout)
    }
}

@available(*, unavailable)
extension TestMessageQueue: Sendable {}
