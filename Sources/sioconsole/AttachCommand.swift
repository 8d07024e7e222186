import AdminFeed
import ConsoleUI
import Dispatch
import Monitor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `sioconsole attach URL`: the console over the Admin UI protocol of a server that runs
/// elsewhere. Wiring only: the feed is AdminFeed, the screens ConsoleUI.
enum AttachCommand {
    /// How long the headless banner waits for the server's `config` before it is written
    /// anyway (with the link's state: refused, or still connecting).
    static let bannerWait: Int64 = 10_000_000_000

    static func run(_ arguments: ConsoleArguments, url: String, fail: (String, Int32) -> Never) -> Never {
        var options = AttachOptions(url: url)
        options.namespace = arguments.attachNamespace
        options.path = arguments.path
        options.websocketOnly = arguments.websocketOnly
        options.trustedCertificatesFile = arguments.trustedCertificatesFile
        options.verifiesCertificate = !arguments.insecure
        options.parser = arguments.parser
        options.readOnly = arguments.readOnly
        if let user = arguments.user {
            options.username = user
            switch password(file: arguments.passwordFile, headless: arguments.headless) {
            case .success(let password): options.password = password
            case .failure(let error): fail(error.message, 2)
            }
        } else if arguments.passwordFile != nil {
            fail("--password-file needs --user NAME", 2)
        }
        let feed: AdminFeed
        do {
            feed = try AdminFeed(options: options)
        } catch let error as AttachTLSError {
            fail("attach: --tls-ca \(error)", 2)
        } catch {
            fail("attach: \(url) is not a URL the client can use: \(error)", 2)
        }
        let actions = AdminActions(feed: feed, readOnly: arguments.readOnly)
        var consoleOptions = ConsoleOptions()
        consoleOptions.theme = arguments.theme
        consoleOptions.readOnly = arguments.readOnly
        consoleOptions.logFile = arguments.logFile
        consoleOptions.address = url
        consoleOptions.quitStopsServer = false
        let console = SocketIOConsole(feed: feed, actions: actions, options: consoleOptions)
        let outcome: ConsoleExit
        if arguments.headless {
            feed.start()
            outcome = console.runHeadless(banner: banner(feed, options: options))
        } else {
            do {
                outcome = try console.run()
            } catch {
                feed.stop()
                fail(error.message, 1)
            }
        }
        feed.stop()
        switch outcome {
        case .quit, .endOfInput: exit(0)
        case .signal(let number): exit(128 + number)
        }
    }

    /// `{"type":"attached",…}`, written once the server said what it supports (or refused,
    /// or could not be reached, or after ``bannerWait``): the URL, the namespace, the link's
    /// state and the features.
    static func banner(_ feed: AdminFeed, options: AttachOptions) -> String {
        let deadline = WallClock.nanoseconds() + bannerWait
        waiting: while WallClock.nanoseconds() < deadline, feed.supportedFeatures.isEmpty {
            switch feed.link.status {
            case .refused, .reconnecting: break waiting
            case .connecting, .connected: usleep(20_000)
            }
        }
        var object = MonitorJSON.Object()
        object.add("type", "attached")
        object.add("url", options.url)
        object.add("namespace", options.namespace)
        object.add("path", options.path)
        object.add("readOnly", options.readOnly)
        object.add("status", feed.link.summary)
        object.add("features", strings: feed.supportedFeatures)
        return object.text
    }

    struct PasswordError: Error {
        let message: String
    }

    /// The password: the first line of `file`, else `SIOCONSOLE_PASSWORD`, else typed on the
    /// terminal without echo (not with --headless, whose standard input carries commands).
    static func password(file: String?, headless: Bool) -> Result<String, PasswordError> {
        if let file {
            guard let handle = fopen(file, "r") else {
                return .failure(PasswordError(message: "--password-file \(file): \(String(cString: strerror(errno)))"))
            }
            defer { fclose(handle) }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = fread(&buffer, 1, buffer.count, handle)
            let line = buffer[..<count].prefix { $0 != 10 }
            return .success(trimmingNewline(String(decoding: line, as: UTF8.self)))
        }
        if let value = getenv("SIOCONSOLE_PASSWORD") { return .success(String(cString: value)) }
        guard !headless else {
            return .failure(PasswordError(message: "--user needs a password: --password-file FILE or SIOCONSOLE_PASSWORD (--headless reads commands on stdin)"))
        }
        return promptWithoutEcho("password for the admin namespace: ")
    }

    private static func promptWithoutEcho(_ prompt: String) -> Result<String, PasswordError> {
        let tty = open("/dev/tty", O_RDWR)
        guard tty >= 0 else {
            return .failure(PasswordError(message: "--user needs a password: --password-file FILE, SIOCONSOLE_PASSWORD, or a terminal to type it on"))
        }
        defer { close(tty) }
        _ = prompt.withCString { write(tty, $0, strlen($0)) }
        var saved = termios()
        let canRestore = tcgetattr(tty, &saved) == 0
        if canRestore {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(tty, TCSAFLUSH, &silent)
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(tty, &byte, 1) == 1, byte != 10, byte != 13, bytes.count < 4096 { bytes.append(byte) }
        if canRestore { tcsetattr(tty, TCSAFLUSH, &saved) }
        _ = "\n".withCString { write(tty, $0, 1) }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    private static func trimmingNewline(_ text: String) -> String {
        var text = text
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}
