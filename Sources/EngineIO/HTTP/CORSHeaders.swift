import NIOHTTP1

/// The CORS answer for one request, as the `cors` package computes it.
enum CORSHeaders {
    /// Whether the origin decision needs to await a user function.
    static func needsAsyncDecision(_ options: CORSOptions) -> Bool {
        if case .custom = options.origin { return true }
        return false
    }

    /// Asks the custom origin function, if any; `nil` for the static cases.
    static func customDecision(_ options: CORSOptions, origin: String?) async -> Bool? {
        guard case .custom(let decide) = options.origin else { return nil }
        return await decide(origin)
    }

    /// The headers for `request`; `customAllowed` is the custom function's answer when
    /// the origin option is a function.
    static func headers(
        _ options: CORSOptions,
        request: EngineRequest,
        matcher: CORSMatcher?,
        customAllowed: Bool?,
        preflight: Bool
    ) -> HTTPHeaders {
        var headers = HTTPHeaders()
        let origin = request.headers.first(name: "origin")
        switch options.origin {
        case .any:
            headers.add(name: "Access-Control-Allow-Origin", value: "*")
        case .reflect:
            if let origin { headers.add(name: "Access-Control-Allow-Origin", value: origin) }
            headers.add(name: "Vary", value: "Origin")
        case .list(let allowed):
            if let origin, allowed.contains(origin) { headers.add(name: "Access-Control-Allow-Origin", value: origin) }
            headers.add(name: "Vary", value: "Origin")
        case .pattern:
            if let origin, matcher?.matches(origin) == true {
                headers.add(name: "Access-Control-Allow-Origin", value: origin)
            }
            headers.add(name: "Vary", value: "Origin")
        case .custom:
            if let origin, customAllowed == true { headers.add(name: "Access-Control-Allow-Origin", value: origin) }
            headers.add(name: "Vary", value: "Origin")
        }
        if options.credentials { headers.add(name: "Access-Control-Allow-Credentials", value: "true") }
        if preflight {
            headers.add(name: "Access-Control-Allow-Methods", value: options.methods.joined(separator: ","))
            if let allowed = options.allowedHeaders {
                if !allowed.isEmpty {
                    headers.add(name: "Access-Control-Allow-Headers", value: allowed.joined(separator: ","))
                }
            } else if let requested = request.headers.first(name: "access-control-request-headers") {
                headers.add(name: "Access-Control-Allow-Headers", value: requested)
                headers.add(name: "Vary", value: "Access-Control-Request-Headers")
            }
            if let maxAge = options.maxAge { headers.add(name: "Access-Control-Max-Age", value: String(maxAge)) }
        } else if !options.exposedHeaders.isEmpty {
            headers.add(name: "Access-Control-Expose-Headers", value: options.exposedHeaders.joined(separator: ","))
        }
        return headers
    }
}
