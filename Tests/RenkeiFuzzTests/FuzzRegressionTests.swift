import Foundation
import RenkeiFuzzTargets
import Testing

/// Every seed and every input that once crashed a fuzz target, run through the same function
/// libFuzzer drives: a parser that traps on any of them fails the suite (the test process dies).
@Suite("Fuzz corpora replay", .timeLimit(.minutes(5)))
struct FuzzRegressionTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func files(_ directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { directory.appendingPathComponent($0) }
    }

    @Test("each target's seeds and every input that once crashed it run without a trap", arguments: FuzzTarget.allCases)
    func replay(_ target: FuzzTarget) throws {
        let seeds = Self.files(target.corpus(in: Self.repository))
        #expect(seeds.count >= 3, "the \(target.rawValue) corpus at \(target.corpus(in: Self.repository).path) has \(seeds.count) seeds")
        for file in seeds + Self.files(target.regressions(in: Self.repository)) { target.run(Array(try Data(contentsOf: file))) }
    }
}
