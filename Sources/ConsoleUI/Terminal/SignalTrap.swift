import Synchronization
import CNcursesw
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The last stop signal received (SIGINT, SIGTERM, SIGHUP), 0 for none. Written by the
/// signal handler, read by the console's loop: an atomic store is async-signal-safe.
let receivedStopSignal = Atomic<Int32>(0)

/// What the crash handler needs to put the terminal back: the descriptor, the saved
/// settings and the escape sequences that leave the full-screen mode. Set once before the
/// screen starts, read only by the handler.
nonisolated(unsafe) private var crashTerminal: Int32 = -1
nonisolated(unsafe) private var crashSettings = termios()
nonisolated(unsafe) private var crashSequence: UnsafeMutablePointer<UInt8>?
nonisolated(unsafe) private var crashSequenceLength = 0

/// Installs and removes the console's signal handlers.
///
/// - SIGINT, SIGTERM and SIGHUP only set `receivedStopSignal`: the loop notices within a
///   tick, restores the terminal and returns.
/// - SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE and SIGABRT (a crash, a Swift runtime trap)
///   write the terminal's restore sequence and saved settings straight to the terminal
///   (both async-signal-safe), then die of the same signal.
public enum SignalTrap {
    static let stopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT]

    /// The signal that asked the console to stop, if any.
    public static var pending: Int32 { receivedStopSignal.load(ordering: .relaxed) }

    /// Forgets a signal already handled.
    public static func reset() {
        receivedStopSignal.store(0, ordering: .relaxed)
    }

    /// Makes SIGINT, SIGTERM and SIGHUP set ``pending`` instead of killing the process.
    public static func trapStopSignals() {
        for signalNumber in stopSignals {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = { number in receivedStopSignal.store(number, ordering: .relaxed) }
            #else
            action.__sigaction_u.__sa_handler = { number in receivedStopSignal.store(number, ordering: .relaxed) }
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
        signal(SIGPIPE, SIG_IGN)
    }

    /// Puts back the default actions of the stop signals.
    public static func releaseStopSignals() {
        for signalNumber in stopSignals { signal(signalNumber, SIG_DFL) }
    }

    /// Arms the crash handler for terminal `descriptor`.
    ///
    /// - Parameters:
    ///   - descriptor: The terminal.
    ///   - settings: Its settings before the screen started.
    ///   - restore: Bytes that leave full-screen mode (rmcup, cnorm, sgr0, mouse off…).
    static func armCrashRestore(descriptor: Int32, settings: termios, restore: [UInt8]) {
        crashSettings = settings
        // Prepared now: the handler may not allocate.
        let bytes = restore + Array("\r\nsioconsole crashed; the terminal was restored. Run with --log FILE for details.\r\n".utf8)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        buffer.initialize(from: bytes, count: bytes.count)
        crashSequence = buffer
        crashSequenceLength = bytes.count
        crashTerminal = descriptor
        for signalNumber in crashSignals {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = { number in SignalTrap.crashed(number) }
            #else
            action.__sigaction_u.__sa_handler = { number in SignalTrap.crashed(number) }
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
    }

    /// Disarms the crash handler (the screen ended normally).
    static func disarmCrashRestore() {
        crashTerminal = -1
        for signalNumber in crashSignals { signal(signalNumber, SIG_DFL) }
    }

    private static func crashed(_ number: Int32) {
        if crashTerminal >= 0 {
            if let crashSequence, crashSequenceLength > 0 { _ = write(crashTerminal, crashSequence, crashSequenceLength) }
            _ = tcsetattr(crashTerminal, TCSANOW, &crashSettings)
        }
        signal(number, SIG_DFL)
        raise(number)
    }
}
