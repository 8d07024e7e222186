// An application that serves Socket.IO from Hummingbird needs the lifecycle service too.
@_exported public import SocketIOLifecycle
