// Users of SocketIO get the engine's types (EngineSocket, EngineOptions…) with it, and the
// packet and JSON types of the parser, which the Socket.IO client shares.
@_exported public import EngineIO
@_exported public import SocketIOParser
// `SocketIOPacketParser.msgpack`, for the `parser` option.
@_exported public import SocketIOMsgpackParser
