import Foundation
import GRDB
import RenkeiCore
import Testing

@testable import RenkeiStore

@Suite("Row digests")
struct RowDigestTests {
    /// The digest stored rows were chained under: each column's tag, big-endian length and
    /// bytes, SHA-256 over them all (computed independently with Python's hashlib). A change of
    /// how it is computed must not change it, or every existing store would fail `audit verify`.
    @Test("a row's digest is SHA-256 over tag, big-endian length and bytes of each column")
    func knownAnswer() {
        let values: [DatabaseValue] = [.null, (-42).databaseValue, 1.5.databaseValue, "苫小牧市".databaseValue, Data([0, 1, 2, 255]).databaseValue]
        #expect(hex(RowDigest.of(values)) == "b0bc59323a7dd9506ebc39b017af348f3603935b01bdc67600cfd3430951c4ec")
    }
}
