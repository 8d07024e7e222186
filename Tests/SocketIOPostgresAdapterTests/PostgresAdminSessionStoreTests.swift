import Foundation
import SocketIOAdmin
@testable import SocketIOPostgresAdapter
import Testing

/// Against the PostgreSQL the test command starts (`SIO_TEST_POSTGRES_URL`, set by
/// scripts/with-postgres.sh); without one these tests fail, they never skip.
@Suite struct PostgresAdminSessionStoreTests {
    private func databaseURL() throws -> String {
        try #require(ProcessInfo.processInfo.environment["SIO_TEST_POSTGRES_URL"],
                     "run under scripts/with-postgres.sh (scripts/test.sh does)")
    }

    /// A table of this test's own, so tests running at once do not see each other's rows.
    private func freshTable() -> String { "admin_sessions_test_\(UInt64.random(in: 0...UInt64.max))" }

    @Test func aSessionSavedByOneServerIsGoodOnAnother() async throws {
        let url = try databaseURL(), table = freshTable()
        let nodeA = try PostgresAdminSessionStore(url: url, tableName: table)
        let nodeB = try PostgresAdminSessionStore(url: url, tableName: table)
        await nodeA.saveSession("abc123")
        #expect(await nodeB.doesSessionExist("abc123"))
        #expect(await nodeA.doesSessionExist("abc123"))
        #expect(await nodeB.doesSessionExist("never-issued") == false)
        // Saving again only extends it.
        await nodeB.saveSession("abc123")
        #expect(await nodeA.doesSessionExist("abc123"))
        await nodeA.close()
        await nodeB.close()
    }

    @Test func anExpiredSessionIsNoLongerGood() async throws {
        let store = try PostgresAdminSessionStore(url: try databaseURL(), tableName: freshTable(), sessionDuration: .zero)
        await store.saveSession("short-lived")
        // It expired at the instant it was saved: any later statement's now() is past it.
        #expect(await store.doesSessionExist("short-lived") == false)
        await store.close()
    }

    @Test func anUnreachableDatabaseRefusesSessionsWithoutFailing() async throws {
        // Port 1 on loopback: nothing listens there.
        let store = try PostgresAdminSessionStore(url: "postgres://postgres@127.0.0.1:1/postgres")
        await store.saveSession("lost")
        #expect(await store.doesSessionExist("lost") == false)
    }

    @Test func aTableNameThatIsNotAPlainIdentifierIsRefused() throws {
        #expect(throws: (any Error).self) {
            _ = try PostgresAdminSessionStore(url: "postgres://postgres@127.0.0.1:5432/postgres", tableName: "x; DROP TABLE y")
        }
    }
}
