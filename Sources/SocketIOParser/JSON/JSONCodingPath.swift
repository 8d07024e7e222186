/// A coding path kept as a linked list, so that decoding a field costs no array;
/// the `[any CodingKey]` form is built only when someone asks (errors, `codingPath`).
indirect enum JSONCodingPath {
    case root
    case key(any CodingKey, parent: JSONCodingPath)
    case index(Int, parent: JSONCodingPath)

    func appending(_ key: any CodingKey) -> JSONCodingPath {
        .key(key, parent: self)
    }

    func appending(index: Int) -> JSONCodingPath {
        .index(index, parent: self)
    }

    var keys: [any CodingKey] {
        var keys: [any CodingKey] = []
        var node = self
        while true {
            switch node {
            case .root:
                return keys.reversed()
            case .key(let key, let parent):
                keys.append(key)
                node = parent
            case .index(let index, let parent):
                keys.append(JSONValueCodingKey(index: index))
                node = parent
            }
        }
    }
}

/// The coding key for array positions and the `super` member.
struct JSONValueCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(index: Int) {
        self.stringValue = "Index \(index)"
        self.intValue = index
    }

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.init(index: intValue)
    }

    static let superKey = JSONValueCodingKey(stringValue: "super")
}
