import NIOConcurrencyHelpers
import NIOPosix
import SocketIO

/// The admin namespace's middleware for basic authentication (Node's
/// `initAuthenticationMiddleware`): a known session id, or the user name and password,
/// which open a new session whose id the client is sent in a `session` event.
final class AdminAuthenticator: Sendable {
    private let username: String
    private let hash: BcryptHash
    private let store: any AdminSessionStore
    /// Sessions opened by the middleware, sent once the socket is connected.
    private let opened = NIOLockedValueBox([String: String]())

    init(username: String, hash: BcryptHash, store: any AdminSessionStore) {
        self.username = username
        self.hash = hash
        self.store = store
    }

    /// Admits `socket` or throws Node's "invalid credentials".
    func authenticate(_ socket: Socket) async throws {
        let auth = socket.handshake.auth
        if case .string(let sessionId)? = auth["sessionId"], !sessionId.isEmpty, await store.doesSessionExist(sessionId) {
            return
        }
        if case .string(let username)? = auth["username"], username == self.username,
           case .string(let password)? = auth["password"] {
            let hash = self.hash
            // bcrypt takes tens of milliseconds on purpose: keep it off the event loops.
            let matches = (try? await NIOThreadPool.singleton.runIfActive { hash.matches(password) }) ?? false
            if matches {
                let sessionId = SessionIdentifier.random()
                await store.saveSession(sessionId)
                opened.withLockedValue { $0[socket.id] = sessionId }
                return
            }
        }
        throw ConnectError("invalid credentials")
    }

    /// The session opened for `socket` by ``authenticate(_:)``, handed out once.
    func takeOpenedSession(for socket: Socket) -> String? {
        opened.withLockedValue { $0.removeValue(forKey: socket.id) }
    }
}

/// Session ids as Node makes them: 8 random bytes in hexadecimal.
enum SessionIdentifier {
    static func random() -> String {
        let digits = Array("0123456789abcdef".utf8)
        var generator = SystemRandomNumberGenerator()
        var text: [UInt8] = []
        for _ in 0..<8 {
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
