import Foundation
public import PostgresNIO

/// Reads `postgres://user[:password]@host[:port]/database` into a connection configuration.
public enum PostgresURL {
    /// A configuration for `url`, without TLS (the adapter is meant for a private network).
    /// - Throws: ``PostgresURLError`` when the URL is not a postgres URL with a host.
    public static func configuration(_ url: String) throws -> PostgresConnection.Configuration {
        guard let components = URLComponents(string: url),
              components.scheme == "postgres" || components.scheme == "postgresql",
              let host = components.host, !host.isEmpty
        else { throw PostgresURLError(url: url) }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        return PostgresConnection.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: components.user ?? "postgres",
            password: components.password,
            database: database.isEmpty ? nil : database,
            tls: .disable
        )
    }
}

/// A string that is not a usable postgres URL.
public struct PostgresURLError: Error, CustomStringConvertible {
    let url: String
    public var description: String { "not a postgres URL (postgres://user:password@host:port/database): \(url)" }
}
