#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds themes by name or path: theme files in the search folders (`$SIOCONSOLE_THEMES`,
/// `./themes`, the package's `themes/` next to the built executable), then the three
/// built-in ones (`dark`, `light`, `high-contrast`).
public struct ThemeLibrary: Sendable {
    /// The folders searched for `NAME.theme`, in order.
    public var searchPaths: [String]

    /// Creates a library.
    ///
    /// - Parameter searchPaths: Folders to search; `nil` for the defaults.
    public init(searchPaths: [String]? = nil) {
        self.searchPaths = searchPaths ?? Self.defaultSearchPaths()
    }

    /// The default folders.
    public static func defaultSearchPaths() -> [String] {
        var paths: [String] = []
        if let custom = getenv("SIOCONSOLE_THEMES") { paths.append(String(cString: custom)) }
        paths.append("themes")
        // .build/<triple>/debug/sioconsole → the package's themes/ folder.
        if let executable = executablePath() {
            var folder = executable
            for _ in 0..<4 {
                folder = parent(folder)
                paths.append(folder + "/themes")
            }
            paths.append(parent(parent(executable)) + "/share/sioconsole/themes")
        }
        return paths
    }

    /// Every theme name available, sorted.
    public var names: [String] {
        var names = Set(BuiltinThemes.sources.map(\.name))
        for path in searchPaths {
            guard let directory = opendir(path) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name.hasSuffix(".theme"), name.count > 6 { names.insert(String(name.dropLast(6))) }
            }
        }
        return names.sorted()
    }

    /// Loads a theme by name (searched) or by path (anything with a `/` or ending in `.theme`).
    ///
    /// - Parameter nameOrPath: `light`, or `./my.theme`.
    /// - Returns: The theme.
    /// - Throws: ``ThemeError`` when it cannot be found or parsed.
    public func load(_ nameOrPath: String) throws(ThemeError) -> Theme {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme") {
            guard let text = Self.readFile(nameOrPath) else {
                throw ThemeError(line: 0, message: "cannot read theme file \(nameOrPath)")
            }
            return try parseFile(text, name: Self.baseName(nameOrPath), path: nameOrPath)
        }
        for path in searchPaths {
            if let text = Self.readFile(path + "/" + nameOrPath + ".theme") {
                return try parseFile(text, name: nameOrPath, path: path + "/" + nameOrPath + ".theme")
            }
        }
        if let builtin = BuiltinThemes.sources.first(where: { $0.name == nameOrPath }) {
            return try Theme.parse(builtin.text, name: builtin.name)
        }
        throw ThemeError(line: 0, message: "no theme \"\(nameOrPath)\" (have: \(names.joined(separator: ", ")))")
    }

    private func parseFile(_ text: String, name: String, path: String) throws(ThemeError) -> Theme {
        do {
            return try Theme.parse(text, name: name)
        } catch {
            throw ThemeError(line: 0, message: "\(path): \(error)")
        }
    }

    /// The built-in default theme.
    public static var fallback: Theme {
        (try? Theme.parse(BuiltinThemes.sources[0].text, name: "dark")) ?? Theme(name: "dark", styles: [:])
    }

    static func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[..<count])
            if bytes.count > 1 << 20 { return nil }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func baseName(_ path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasSuffix(".theme") { name.removeLast(6) }
        return name
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        #if os(Linux)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #elseif canImport(Darwin)
        var size = UInt32(buffer.count)
        guard _NSGetExecutablePath(&buffer, &size) == 0 else { return nil }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
        #else
        return nil
        #endif
    }
}
