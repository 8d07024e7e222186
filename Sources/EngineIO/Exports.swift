// Users of the engine get its packet types (EnginePacket, EngineMessage…) with it; the
// parser is a module of its own so that a client shares it (as engine.io-parser is shared).
@_exported public import EngineIOParser
