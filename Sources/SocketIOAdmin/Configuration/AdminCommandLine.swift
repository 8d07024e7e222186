public import EngineIO
public import SocketIO

/// The `--admin` flags that `sio-e2e-server` and `sioconsole` share, parsed once for both:
/// whether to instrument the server, and how.
public struct AdminCommandLine: Sendable, Equatable {
    /// Whether `--admin` (or any other admin flag, which implies it) was given.
    public var enabled = false
    /// `--admin-user NAME`.
    public var username: String?
    /// `--admin-password-hash HASH`.
    public var passwordHash: String?
    /// `--admin-readonly`.
    public var readonly = false
    /// `--admin-mode development|production`.
    public var mode = AdminMode.development
    /// `--admin-namespace /NAME`.
    public var namespace = "/admin"

    /// Creates the settings of a command line without admin flags.
    public init() {}

    /// The lines `--help` shows for these flags.
    public static let usage = """
          --admin               serve the Socket.IO Admin UI protocol on /admin (the official web
                                Admin UI, python-socketio's and Node's admin tools can watch and drive
                                this server); no authentication unless the next two flags are given
          --admin-user NAME --admin-password-hash HASH
                                basic authentication: the user name and the bcrypt hash ($2a$, $2b$
                                or $2y$) of the password
          --admin-readonly      advertise and accept no command (emit, join, leave, disconnect)
          --admin-mode MODE     development (default: every socket, room and event) or production
                                (server_stats with aggregated counts only)
          --admin-namespace /NAME
                                the admin namespace (default /admin)
        """

    /// Takes `flag` if it is an admin flag, reading its value with `value` when it has one.
    /// - Returns: whether the flag was an admin flag.
    /// - Throws: ``AdminCommandLineError`` for a bad value, or what `value` throws.
    public mutating func consume(_ flag: String, value: () throws -> String) throws -> Bool {
        switch flag {
        case "--admin": break
        case "--admin-readonly": readonly = true
        case "--admin-user": username = try value()
        case "--admin-password-hash": passwordHash = try value()
        case "--admin-mode":
            let text = try value()
            guard let parsed = AdminMode(rawValue: text) else {
                throw AdminCommandLineError(message: "--admin-mode takes development or production, not \(text)")
            }
            mode = parsed
        case "--admin-namespace":
            let text = try value()
            namespace = text.hasPrefix("/") ? text : "/" + text
        default:
            return false
        }
        enabled = true
        return true
    }

    /// The instrumentation options these flags describe, or `nil` without `--admin`.
    /// - Throws: ``AdminCommandLineError`` when only one of user and hash was given.
    public func options() throws -> AdminOptions? {
        guard enabled else { return nil }
        var options: AdminOptions
        switch (username, passwordHash) {
        case (nil, nil): options = AdminOptions(auth: .none)
        case (let username?, let hash?): options = AdminOptions(auth: .basic(username: username, passwordHash: hash))
        default: throw AdminCommandLineError(message: "--admin-user and --admin-password-hash go together")
        }
        options.readonly = readonly
        options.mode = mode
        options.namespaceName = namespace
        return options
    }

    /// Lets browser pages of other origins connect with credentials, as the web Admin UI
    /// does (`withCredentials`): credentials on, and no CORS or an origin of `*` (which
    /// browsers refuse with credentials) becomes the reflected origin. The engine serves
    /// every namespace, so this holds for all of them, as in Node.
    public func allowCredentials(_ cors: inout CORSOptions?) {
        guard enabled else { return }
        var options = cors ?? CORSOptions(origin: .reflect)
        options.credentials = true
        if case .any = options.origin { options.origin = .reflect }
        cors = options
    }

    /// Instruments `server` when `--admin` was given.
    /// - Parameters:
    ///   - server: the server to instrument.
    ///   - store: where sessions are kept; `nil` keeps them in this process (a cluster node
    ///     passes one the cluster shares, so an admin session is good on every node).
    /// - Returns: the instrumentation, or `nil` without `--admin`.
    /// - Throws: ``AdminCommandLineError`` or ``AdminConfigurationError`` for bad flags.
    public func instrument(_ server: SocketIOServer, store: (any AdminSessionStore)? = nil) throws -> AdminInstrumentation? {
        guard var options = try options() else { return nil }
        if let store { options.store = store }
        return try SocketIOAdmin.instrument(server, options: options)
    }
}

/// A bad admin flag, with a message for the terminal.
public struct AdminCommandLineError: Error, Sendable {
    /// What is wrong.
    public let message: String
}
