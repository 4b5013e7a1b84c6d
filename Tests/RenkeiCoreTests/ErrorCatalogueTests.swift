import Foundation
import RenkeiCore
import RenkeiTestSupport
import Testing

@Suite("Error catalogue")
struct ErrorCatalogueTests {
    /// Every `ErrorCode(rawValue: "…")` declared anywhere in Sources, read from the source text,
    /// so that a code added without a catalogue entry fails here.
    static func declaredCodes() throws -> Set<String> {
        let sources = Repository.root.appendingPathComponent("Sources")
        var codes = Set<String>()
        let pattern = try Regex(#"static let \w+ = ErrorCode\(rawValue: "([A-Z_0-9]+)"\)"#)
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in text.matches(of: pattern) {
                if let code = match.output[1].substring { codes.insert(String(code)) }
            }
        }
        return codes
    }

    @Test("every declared code has an entry, and every entry is a declared code")
    func complete() throws {
        let declared = try Self.declaredCodes()
        let catalogued = Set(ErrorCatalogue.renkei.entries.map(\.code.rawValue))
        #expect(declared.count >= 37)
        #expect(declared.subtracting(catalogued).sorted() == [])
        #expect(catalogued.subtracting(declared).sorted() == [])
        #expect(catalogued.count == ErrorCatalogue.renkei.entries.count)
    }

    @Test("docs/ERRORS.md is the catalogue as renkei errors --markdown writes it")
    func documentIsCurrent() throws {
        let file = try String(contentsOf: Repository.root.appendingPathComponent("docs/ERRORS.md"), encoding: .utf8)
        #expect(file == ErrorCatalogue.renkei.markdown())
    }

    @Test("only the linkage's refusals exit 3; usage exits 64; an unknown code is a failure with HTTP 500")
    func kinds() {
        #expect(ErrorCode.ruleNotPermitted.kind.exitStatus == 3)
        #expect(ErrorCode.linkCodeNotAcquired.isRefusal)
        #expect(ErrorCode.invalidConfiguration.kind.exitStatus == 1)
        #expect(ErrorCode.certificateProblem.kind.exitStatus == 1)
        #expect(ErrorCode.unknownPerson.kind.exitStatus == 1)
        #expect(ErrorCode.usage.kind.exitStatus == 64)
        #expect(ErrorCode(rawValue: "FROM_A_NEWER_PEER").kind == .failure)
        #expect(ErrorCatalogue.renkei.httpStatus(ErrorCode(rawValue: "FROM_A_NEWER_PEER")) == 500)
        #expect(ErrorCatalogue.renkei.entries.allSatisfy { !$0.meaning.isEmpty && !$0.remedy.isEmpty })
    }
}
