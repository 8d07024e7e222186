// Users of SocketIO get the engine's types (EngineSocket, EngineOptions…) with it.
@_exported public import EngineIO
