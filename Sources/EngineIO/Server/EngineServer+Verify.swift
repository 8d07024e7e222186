import NIOHTTP1
import NIOConcurrencyHelpers

/// What a request that passed the engine's checks is for.
enum EngineRequestTarget {
    /// A new session over `transport`.
    case handshake(EngineTransportKind)
    /// A request for an existing session.
    case session(EngineSocket, EngineTransportKind)
}

extension EngineServer {
    /// The synchronous checks of Node's `verify` and `handshake`, in Node's order.
    /// `allowRequest` (asynchronous) comes after, for handshakes only.
    func verify(_ request: EngineRequest, upgrade: Bool) -> Result<EngineRequestTarget, EngineRequestError> {
        guard let name = request.query["transport"],
              let transport = EngineTransportKind(rawValue: name),
              options.transports.contains(transport)
        else {
            return .failure(EngineRequestError(.unknownTransport, context: ["transport": request.query["transport"] ?? ""]))
        }
        if let origin = request.headers.first(name: "origin"), !Self.isValidHeaderValue(origin) {
            return .failure(EngineRequestError(.badRequest, context: ["name": "INVALID_ORIGIN"]))
        }
        if let sid = request.query["sid"] {
            guard let session = session(sid) else {
                return .failure(EngineRequestError(.unknownSid, context: ["sid": sid]))
            }
            if upgrade {
                guard transport == .websocket, options.allowUpgrades,
                      session.transportName == .polling, session.state == .open
                else {
                    return .failure(EngineRequestError(.badRequest, context: ["name": "TRANSPORT_MISMATCH"]))
                }
            } else if session.transportName != transport {
                return .failure(EngineRequestError(.badRequest, context: ["name": "TRANSPORT_MISMATCH"]))
            }
            return .success(.session(session, transport))
        }
        // After close(), nothing new may connect, even through a pipeline of your own server.
        guard !isClosed else {
            return .failure(EngineRequestError(.forbidden, message: "Server is closed"))
        }
        guard request.method == .GET else {
            return .failure(EngineRequestError(.badHandshakeMethod, context: ["method": "\(request.method)"]))
        }
        if transport == .websocket, !upgrade {
            return .failure(EngineRequestError(.badRequest, context: ["name": "TRANSPORT_HANDSHAKE_ERROR"]))
        }
        guard request.query["EIO"] == "4" else {
            return .failure(EngineRequestError(.unsupportedProtocolVersion, context: ["protocol": request.query["EIO"] ?? ""]))
        }
        return .success(.handshake(transport))
    }

    /// Runs `allowRequest`, turning a refusal into Node's 403.
    func checkAllowRequest(_ request: EngineRequest) async -> EngineRequestError? {
        guard let allowRequest = options.allowRequest else { return nil }
        do {
            if try await allowRequest(request) { return nil }
            return EngineRequestError(.forbidden)
        } catch {
            return EngineRequestError(.forbidden, message: "\(error)")
        }
    }

    /// Runs the middlewares in order; `nil` means every one said `.next`.
    func runMiddlewares(_ request: EngineRequest, headers: inout HTTPHeaders) async -> MiddlewareOutcome {
        let middlewares = hooks.withLockedValue { $0.middlewares }
        for middleware in middlewares {
            do {
                switch try await middleware(request, &headers) {
                case .next: continue
                case .respond(let status, let extra, let body): return .respond(status, extra, body)
                }
            } catch {
                return .refuse(EngineRequestError(.badRequest, context: ["name": "MIDDLEWARE_FAILURE"]))
            }
        }
        return .next
    }

    var hasMiddlewares: Bool { hooks.withLockedValue { !$0.middlewares.isEmpty } }

    /// Node's `checkInvalidHeaderChar`: tab, visible ASCII and obs-text only.
    static func isValidHeaderValue(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 == 0x09 || (0x20...0x7E).contains($0) || $0 >= 0x80 }
    }
}

/// What the middlewares decided for a request.
enum MiddlewareOutcome {
    case next
    case respond(HTTPResponseStatus, HTTPHeaders, String)
    case refuse(EngineRequestError)
}
