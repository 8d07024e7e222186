import NIOConcurrencyHelpers
import SocketIO

/// The `onAny`/`onAnyOutgoing` listeners that report `event_received` and `event_sent`,
/// present on the application's sockets only while an admin client watches. A socket with
/// an outgoing listener makes every delivery build and share the event with it, which a
/// fan-out pays for on every core; with no listener the server pays nothing per event.
final class EventTaps: Sendable {
    /// Installs the listeners on a socket, returning their ids.
    typealias Install = @Sendable (Socket) -> [ListenerID]

    private struct Tapped {
        weak var socket: Socket?
        var listeners: [ListenerID]?
    }

    private struct State {
        var tapping = false
        var sockets: [ObjectIdentifier: Tapped] = [:]
    }

    private let state = NIOLockedValueBox(State())

    /// A new application socket: tapped at once if someone watches.
    func add(_ socket: Socket, install: Install) {
        state.withLockedValue { state in
            state.sockets[ObjectIdentifier(socket)] = Tapped(socket: socket, listeners: state.tapping ? install(socket) : nil)
        }
    }

    /// A socket that left: forgotten (its listeners go with it).
    func remove(_ socket: Socket) {
        state.withLockedValue { _ = $0.sockets.removeValue(forKey: ObjectIdentifier(socket)) }
    }

    /// Taps every known socket, or removes every tap; nothing when already so.
    func setTapping(_ tapping: Bool, install: Install) {
        state.withLockedValue { state in
            guard state.tapping != tapping else { return }
            state.tapping = tapping
            for (key, var entry) in state.sockets {
                guard let socket = entry.socket else {
                    state.sockets[key] = nil
                    continue
                }
                if tapping {
                    entry.listeners = install(socket)
                } else if let ids = entry.listeners {
                    for id in ids {
                        socket.offAny(id)
                        socket.offAnyOutgoing(id)
                    }
                    entry.listeners = nil
                }
                state.sockets[key] = entry
            }
        }
    }
}
