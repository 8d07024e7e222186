import NIOConcurrencyHelpers
import NIOCore

/// An incoming event on its way through the packet middlewares.
struct QueuedEvent: Sendable {
    let name: String
    let arguments: [JSONValue]
    let ack: Ack?
}

/// The events of one socket that wait for asynchronous packet middlewares: one event is
/// in the chain at a time, so the handlers see them in the order the client sent them.
struct PacketQueue {
    private var waiting: [QueuedEvent] = []
    private var head = 0
    /// Whether an event is in the middleware chain now.
    private(set) var running = false

    /// Whether events must wait their turn (one is running or queued).
    var isBusy: Bool { running || head < waiting.count }

    mutating func append(_ event: QueuedEvent) { waiting.append(event) }

    /// The next event to run, marking the chain busy; `nil` when busy or empty.
    mutating func start() -> QueuedEvent? {
        guard !running, head < waiting.count else { return nil }
        let event = waiting[head]
        head += 1
        if head == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            head = 0
        }
        running = true
        return event
    }

    mutating func finish() { running = false }
}

/// Asynchronous packet middlewares (Node's `socket.use` with a `next` called later).
extension Socket {
    /// Queues `event` and starts the chain if it is idle (on the loop).
    func enqueueForMiddlewares(_ event: QueuedEvent) {
        eventLoop.assertInEventLoop()
        packetQueue.append(event)
        runNextQueuedEvent()
    }

    private func runNextQueuedEvent() {
        guard let event = packetQueue.start() else { return }
        let middlewares = listeners.withLockedValue { $0.middlewares.map(\.handler) }
        let eventLoop = self.eventLoop
        Task { [self] in
            let result = await Self.run(middlewares, on: event)
            eventLoop.execute { [self] in
                packetQueue.finish()
                switch result {
                case .success(let arguments):
                    // As Node: an event whose chain ends after disconnection is dropped.
                    if connected {
                        let handlers = listeners.withLockedValue { $0.events[event.name] }
                        dispatchToHandlers(event.name, arguments, ack: event.ack, handlers: handlers)
                    }
                case .failure(let error):
                    emitError(error)
                }
                runNextQueuedEvent()
            }
        }
    }

    private static func run(_ middlewares: [PacketMiddlewareStep], on event: QueuedEvent) async -> Result<[JSONValue], any Error> {
        var arguments = event.arguments
        do {
            for middleware in middlewares {
                switch middleware {
                case .sync(let body): try body(event.name, &arguments)
                case .async(let body): arguments = try await body(event.name, arguments)
                }
            }
            return .success(arguments)
        } catch {
            return .failure(error)
        }
    }
}
