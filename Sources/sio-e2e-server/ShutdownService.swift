import ServiceLifecycle

/// Runs `stop` on the group's graceful shutdown (or when cancelled): what has no service of
/// its own — listeners, the echo engine — ends there.
struct ShutdownService: Service {
    let stop: @Sendable () async -> Void

    func run() async throws {
        try? await gracefulShutdown()
        await stop()
    }
}
