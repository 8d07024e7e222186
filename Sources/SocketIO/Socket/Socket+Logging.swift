public import Logging

extension Socket {
    /// The server's logger with this socket's connection (`engine.id`), id (`socket.id`) and
    /// namespace (`socket.nsp`) as metadata, for handlers to log with:
    /// `socket.logger.info("joined", metadata: ["room": "lobby"])`.
    public var logger: Logger {
        var logger = conn.logger
        logger[metadataKey: "socket.id"] = .string(id)
        logger[metadataKey: "socket.nsp"] = .string(namespace.name)
        return logger
    }

    /// A debug line about this socket; nothing is built unless debug is on.
    func debugLog(_ message: @autoclosure () -> Logger.Message, _ metadata: @autoclosure () -> Logger.Metadata = [:]) {
        guard conn.baseLogger.logLevel <= .debug else { return }
        logger.debug(message(), metadata: metadata())
    }
}
