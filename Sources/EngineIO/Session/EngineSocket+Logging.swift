public import Logging

extension EngineSocket {
    /// The engine's logger with this session's id as `engine.id`: what an application logs
    /// about a connection through it can be told apart from the others'. Built on demand, so
    /// sessions hold no logger metadata of their own.
    public var logger: Logger {
        var logger = baseLogger
        logger[metadataKey: "engine.id"] = .string(id)
        return logger
    }

    /// A debug line about this session, with its id; nothing is built unless debug is on
    /// (a server logs nothing per connection at its default level).
    func debugLog(_ message: @autoclosure () -> Logger.Message, _ metadata: @autoclosure () -> Logger.Metadata = [:]) {
        guard baseLogger.logLevel <= .debug else { return }
        logger.debug(message(), metadata: metadata())
    }
}
