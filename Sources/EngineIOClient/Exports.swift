// Users of the engine client get the packet types and the timer seam with it.
@_exported public import EngineIOParser
@_exported public import EngineIOTimers
