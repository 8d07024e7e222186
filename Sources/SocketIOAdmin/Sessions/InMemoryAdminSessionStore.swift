import NIOConcurrencyHelpers

/// Sessions kept in this process (Node's `InMemoryStore`), each for `sessionDuration`
/// (24 hours, as Node's `RedisStore`; Node's in-memory store never forgets, which lets the
/// set grow for ever).
public final class InMemoryAdminSessionStore: AdminSessionStore {
    private let sessionDuration: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let expiries = NIOLockedValueBox([String: ContinuousClock.Instant]())

    /// Creates an empty store.
    /// - Parameters:
    ///   - sessionDuration: how long a session stays valid after it was saved.
    ///   - now: the clock (tests pass one they move by hand).
    public init(sessionDuration: Duration = .seconds(86_400), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.sessionDuration = sessionDuration
        self.now = now
    }

    /// Whether `sessionId` was saved less than `sessionDuration` ago.
    public func doesSessionExist(_ sessionId: String) async -> Bool {
        let now = self.now()
        return expiries.withLockedValue { expiries in
            guard let expiry = expiries[sessionId] else { return false }
            if expiry <= now {
                expiries[sessionId] = nil
                return false
            }
            return true
        }
    }

    /// Keeps `sessionId` for `sessionDuration`, forgetting the sessions that expired.
    public func saveSession(_ sessionId: String) async {
        let now = self.now()
        expiries.withLockedValue { expiries in
            expiries = expiries.filter { $0.value > now }
            expiries[sessionId] = now + sessionDuration
        }
    }

    /// How many sessions are kept, expired ones not yet forgotten included.
    public var count: Int { expiries.withLockedValue { $0.count } }
}
