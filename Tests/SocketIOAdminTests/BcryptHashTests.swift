import HummingbirdBcrypt
import Testing

@testable import SocketIOAdmin

@Suite struct BcryptHashTests {
    /// Node's own admin tests: "changeit", cost 10.
    let nodeHash = "$2b$10$nu1FHRkuxkZkqID.31gz4uQsyERZAn.m4IIruysTsHDODBtrqS5Me"

    @Test func verifiesNodesHash() throws {
        let hash = try BcryptHash(nodeHash)
        #expect(hash.matches("changeit"))
        #expect(!hash.matches("changeIt"))
    }

    @Test(arguments: ["$2a$", "$2b$", "$2y$"])
    func acceptsEveryPrefixOfTheSameAlgorithm(prefix: String) throws {
        let hash = try BcryptHash(prefix + nodeHash.dropFirst(4))
        #expect(hash.matches("changeit"))
        #expect(!hash.matches(""))
    }

    @Test func verifiesHashesMadeByTheLibrary() throws {
        let made = Bcrypt.hash("pässwörd", cost: 4)
        #expect(try BcryptHash(made).matches("pässwörd"))
    }

    @Test(arguments: ["", "changeit", "$2x$10$nu1FHRkuxkZkqID.31gz4uQsyERZAn.m4IIruysTsHDODBtrqS5Me",
                      "$2b$99$nu1FHRkuxkZkqID.31gz4uQsyERZAn.m4IIruysTsHDODBtrqS5Me",
                      "$2b$10$nu1FHRkuxkZkqID.31gz4uQsyERZAn.m4IIruysTsHDODBtrqS5M",
                      "$2b$10$nu1FHRkuxkZkqID.31gz4uQsyERZAn.m4IIruysTsHDODBtrqS5M!"])
    func refusesWhatIsNotABcryptHash(text: String) {
        #expect(throws: AdminConfigurationError.self) { try BcryptHash(text) }
    }
}
