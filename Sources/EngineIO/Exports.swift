// Users of the engine get its packet types (EnginePacket, EngineMessage…) and its timer seam
// (TimerSource, ManualTimerSource) with it. Both are modules of their own so that the
// client shares them, as the official monorepo shares engine.io-parser.
@_exported public import EngineIOParser
@_exported public import EngineIOTimers
