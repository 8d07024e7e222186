// Users of the client get the packet and JSON types (JSONValue, Ack…), the transports'
// names and the timer seam (ManualTimerSource) with it, as users of the server do.
@_exported public import EngineIOClient
@_exported public import EngineIOParser
@_exported public import EngineIOTimers
@_exported public import SocketIOParser
// `SocketIOPacketParser.msgpack`, for the `parser` option.
@_exported public import SocketIOMsgpackParser
