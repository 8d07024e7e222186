/// One query parameter's value in the shape Node's `querystring.parse` gives it: a string
/// when the name was sent once, an array of strings, in order, when it was repeated
/// (`?tag=a&tag=b` → `["a", "b"]`).
///
/// Node code reads such a value as `string | string[]`; this enum is that union, so a port
/// keeps both answers instead of losing the later values. String and array literals build
/// it, so `query["room"] == "lobby"` and `query["tag"] == ["a", "b"]` read as in Node.
public enum QueryValue: Sendable, Hashable {
    /// A parameter sent once (Node: a string).
    case single(String)
    /// A parameter sent more than once, its values in the order sent (Node: an array).
    case multiple([String])

    /// Every value, in the order sent: one element for ``single(_:)``.
    public var values: [String] {
        switch self {
        case .single(let value): [value]
        case .multiple(let values): values
        }
    }

    /// The first value sent; `nil` only for an empty ``multiple(_:)``, which parsing never
    /// produces.
    public var first: String? {
        switch self {
        case .single(let value): value
        case .multiple(let values): values.first
        }
    }

    /// The last value sent: what `URLSearchParams`-based servers (Node's engine.io from
    /// 6.6.5) keep for a repeated name.
    public var last: String? {
        switch self {
        case .single(let value): value
        case .multiple(let values): values.last
        }
    }

    /// The value when the name was sent once, `nil` when it was repeated: the answer of
    /// Node's `typeof query.x === "string" ? query.x : undefined`, the check a careful Node
    /// server makes before trusting a parameter to be one string.
    public var stringValue: String? {
        switch self {
        case .single(let value): value
        case .multiple: nil
        }
    }
}

extension QueryValue: ExpressibleByStringLiteral {
    /// A ``single(_:)`` value, so `query["EIO"] == "4"` compares as it reads.
    public init(stringLiteral value: String) {
        self = .single(value)
    }
}

extension QueryValue: ExpressibleByArrayLiteral {
    /// A ``multiple(_:)`` value, kept as written even with one element (`["a"]` is not
    /// `"a"`, as in JavaScript).
    public init(arrayLiteral elements: String...) {
        self = .multiple(elements)
    }
}

extension QueryValue: CustomStringConvertible {
    /// The value as JavaScript turns it into a string (`` `${query.tag}` ``): the string
    /// itself, or the array's values joined with `,`.
    public var description: String {
        switch self {
        case .single(let value): value
        case .multiple(let values): values.joined(separator: ",")
        }
    }
}
