#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Darwin)
/// This task's port, asked for once: `mach_task_self_` is a C global that SDKs before
/// macOS 15.4 do not mark as safe to share, which Swift 6 refuses.
private let currentTask: mach_port_t = task_self_trap()
#endif

/// The process's memory use.
public enum ProcessMemory {
    /// The resident set size in bytes: from `/proc/self/statm` on Linux, from the task's
    /// basic info on macOS; `nil` where neither exists.
    public static func residentBytes() -> Int? {
        #if os(Linux)
        guard let file = fopen("/proc/self/statm", "r") else { return nil }
        defer { fclose(file) }
        var size = 0, resident = 0
        guard readStatm(file, &size, &resident) == 2 else { return nil }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
        #elseif canImport(Darwin)
        var info = mach_task_basic_info()
        var count = mach_msg_type_number_t(MemoryLayout<mach_task_basic_info>.size / MemoryLayout<natural_t>.size)
        let status = withUnsafeMutablePointer(to: &info) { pointer in
            pointer.withMemoryRebound(to: integer_t.self, capacity: Int(count)) {
                task_info(currentTask, task_flavor_t(MACH_TASK_BASIC_INFO), $0, &count)
            }
        }
        return status == KERN_SUCCESS ? Int(info.resident_size) : nil
        #else
        return nil
        #endif
    }

    #if os(Linux)
    private static func readStatm(_ file: UnsafeMutablePointer<FILE>, _ first: inout Int, _ second: inout Int) -> Int {
        var bytes: [UInt8] = []
        while bytes.count < 128 {
            let character = fgetc(file)
            if character == EOF || character == 10 { break }
            bytes.append(UInt8(truncatingIfNeeded: character))
        }
        let fields = String(decoding: bytes, as: UTF8.self).split(separator: " ")
        guard fields.count >= 2, let a = Int(fields[0]), let b = Int(fields[1]) else { return 0 }
        first = a
        second = b
        return 2
    }
    #endif

    /// A byte count for people: `512 B`, `12.3 KB`, `45.6 MB`, `1.2 GB`.
    ///
    /// - Parameter bytes: The count.
    /// - Returns: The text.
    public static func format(bytes: Int) -> String {
        let value = Double(bytes)
        if bytes < 1024 { return "\(bytes) B" }
        if value < 1024 * 1024 { return oneDecimal(value / 1024) + " KB" }
        if value < 1024 * 1024 * 1024 { return oneDecimal(value / (1024 * 1024)) + " MB" }
        return oneDecimal(value / (1024 * 1024 * 1024)) + " GB"
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
