import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiTestSupport
import Testing

@Suite("Exercise files")
struct ExerciseFileTests {
    @Test("the shipped exercises load against the default topology")
    func shipped() throws {
        let exercises = try Exercise.loadAll(in: Repository.file("config/exercises"), topology: try Repository.defaultTopology())
        #expect(exercises.map(\.id).sorted() == ["dv-withhold", "item42-nenkin", "link-code-missing", "portal-nondisclosure", "tennyu-chiho-zei"])
        #expect(exercises.allSatisfy { !$0.steps.isEmpty && !$0.goal.isEmpty })
    }

    @Test("an unknown operation is refused with the file and the step named")
    func unknownOperation() async throws {
        try await withScratchDirectory("exercises") { directory in
            try """
            id: broken
            title: x
            goal: x
            account: { organization: tomakomai, system: tomakomai/kokuho }
            steps:
              - { id: one, title: x, expect: { operation: teleport } }
            """.write(to: directory.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
            let error = #expect(throws: RenkeiError.self) { try Exercise.loadAll(in: directory, topology: try Repository.defaultTopology()) }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.message.contains("broken.yaml: step one: expect.operation teleport") == true)
        }
    }
}
