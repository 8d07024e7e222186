// The Socket.IO layer (issue 3) builds here on EngineIO.
@_exported import EngineIO
