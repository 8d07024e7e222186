import SocketIO
import Testing

@Suite("JSONObject")
struct JSONObjectTests {
    @Test("keys keep insertion order")
    func keysKeepInsertionOrder() {
        var object = JSONObject()
        object["zebra"] = 1
        object["apple"] = 2
        object["mango"] = 3
        #expect(object.keys == ["zebra", "apple", "mango"])
        #expect(object.values == [1, 2, 3])
    }

    @Test("setting an existing key replaces the value in place")
    func settingAnExistingKeyReplacesTheValueInPlace() {
        var object: JSONObject = ["a": 1, "b": 2]
        let old = object.updateValue(9, forKey: "a")
        #expect(old == 1)
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == 9)
    }

    @Test("a repeated key keeps the last value at the first position")
    func aRepeatedKeyKeepsTheLastValueAtTheFirstPosition() {
        let object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == 3)
    }

    @Test("setting nil removes the key")
    func settingNilRemovesTheKey() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(object.removeValue(forKey: "zzz") == nil)
    }

    @Test("large objects stay consistent through inserts, updates and removals")
    func largeObjectsStayConsistentThroughInsertsUpdatesAndRemovals() {
        var object = JSONObject()
        for index in 0..<100 {
            object["key\(index)"] = .int(Int64(index))
        }
        for index in stride(from: 0, to: 100, by: 3) {
            object["key\(index)"] = nil
        }
        object["key1"] = "updated"
        object["key0"] = "back"
        #expect(object.count == 100 - 34 + 1)
        #expect(object["key1"] == "updated")
        #expect(object["key99"] == nil)
        #expect(object["key98"] == 98)
        #expect(object.keys.first == "key1")
        #expect(object.keys.last == "key0")
        for (position, entry) in object.enumerated() {
            #expect(object.index(forKey: entry.key) == position)
        }
    }

    @Test("equality depends on order")
    func equalityDependsOnOrder() {
        let forward: JSONObject = ["a": 1, "b": 2]
        let backward: JSONObject = ["b": 2, "a": 1]
        #expect(forward != backward)
        #expect(forward == ["a": 1, "b": 2.0])
    }
}
