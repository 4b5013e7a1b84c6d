public import Foundation
public import RenkeiCore

/// A guided exercise for trainees (config/exercises/*.yaml): a goal, the scenario it starts
/// from, the account it is done as, what the console does first (an inquiry for the trainee
/// to answer), and the steps expected, each checked against what the trainee really did —
/// the request journal's entries under their name and the nodes' decision traces in them.
public struct Exercise: Sendable, Hashable, Identifiable {
    /// What one step expects to find in the journal.
    public struct Expectation: Sendable, Hashable {
        /// The console's operation: one of `Exercise.operations` (inquire, result, manualQueue,
        /// withholdManually, portal, answer …).
        public let operation: String
        /// ok, denied, invalid, failed or timeout (default ok).
        public let outcome: String
        /// The error code a denial must carry (RULE_NOT_PERMITTED …), when it matters.
        public let code: String?
        /// Request fields and the value each must have ("*": any value but empty).
        public let fields: [String: String]
    }

    public struct Step: Sendable, Hashable, Identifiable {
        public let id: String
        public let title: String
        public let expect: Expectation
        public let hints: [String]
        /// For a question step: the choices, by key.
        public let choices: [Choice]
        /// Said once the step is done: the rule or the reason behind it.
        public let explanation: String
    }

    public struct Choice: Sendable, Hashable {
        public let key: String
        public let text: String
    }

    /// An inquiry the console sends when an attempt starts, as the system and staff named.
    public struct Setup: Sendable, Hashable {
        public let system: String
        public let user: String
        public let item: String
        public let provider: String
        public let information: String
        public let addressNumber: String
    }

    public let id: String
    public let title: String
    public let titleEnglish: String
    public let goal: String
    public let scenario: String
    /// The 機関 and the 事務 the exercise is done in.
    public let organization: String
    public let system: String
    public let setup: [Setup]
    public let steps: [Step]

    /// Exercises are small; a folder holds at most this many.
    public static let maximumFiles = 200
    public static let maximumSteps = 20

    /// Every exercise of `directory`, sorted by id; a broken file is refused with its name.
    public static func loadAll(in directory: URL, topology: Topology) throws(RenkeiError) -> [Exercise] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory.path) } catch {
            return []
        }
        let files = names.filter { $0.hasSuffix(".yaml") }.sorted()
        guard files.count <= maximumFiles else {
            throw RenkeiError(.invalidConfiguration, "\(directory.path) has \(files.count) exercises; at most \(maximumFiles)")
        }
        var exercises = [Exercise]()
        for file in files {
            exercises.append(try load(at: directory.appendingPathComponent(file), topology: topology))
        }
        let ids = exercises.map(\.id)
        guard Set(ids).count == ids.count else { throw RenkeiError(.invalidConfiguration, "\(directory.path): two exercises share an id") }
        return exercises
    }

    public static func load(at url: URL, topology: Topology) throws(RenkeiError) -> Exercise {
        let file = try YAMLFile.decode(File.self, at: url)
        return try Exercise(file, source: url.lastPathComponent, topology: topology)
    }

    /// An exercise from its text (the fuzz target reads it so).
    public static func parse(yaml text: String, source: String, topology: Topology) throws(RenkeiError) -> Exercise {
        try Exercise(try YAMLFile.decode(File.self, text: text, source: source), source: source, topology: topology)
    }

    static let operations: Set<String> = [
        "inquire", "result", "acquireLinkCode", "manualQueue", "provideManually", "withholdManually", "records", "portal", "answer",
    ]
    static let outcomes: Set<String> = ["ok", "denied", "invalid", "failed", "timeout"]

    init(_ file: File, source: String, topology: Topology) throws(RenkeiError) {
        func fail(_ message: String) -> RenkeiError { RenkeiError(.invalidConfiguration, "\(source): \(message)") }
        guard file.id.range(of: "^[a-z0-9-]{1,64}$", options: .regularExpression) != nil else {
            throw fail("id is 1 to 64 of a-z, 0-9 and -")
        }
        guard let system = topology.businessSystem(id: file.account.system), system.organization == file.account.organization else {
            throw fail("account.system \(file.account.system) is not a business system of \(file.account.organization) in the topology")
        }
        guard (1...Self.maximumSteps).contains(file.steps.count) else { throw fail("an exercise has 1 to \(Self.maximumSteps) steps") }
        var steps = [Step]()
        for step in file.steps {
            guard Self.operations.contains(step.expect.operation) else {
                throw fail(
                    "step \(step.id): expect.operation \(step.expect.operation) is not one of \(Self.operations.sorted().joined(separator: ", "))")
            }
            let outcome = step.expect.outcome ?? "ok"
            guard Self.outcomes.contains(outcome) else {
                throw fail("step \(step.id): expect.outcome \(outcome) is not one of \(Self.outcomes.sorted())")
            }
            let choices = (step.choices ?? []).map { Choice(key: $0.key, text: $0.text) }
            if step.expect.operation == "answer" {
                guard !choices.isEmpty, let chosen = step.expect.fields?["choice"], choices.contains(where: { $0.key == chosen }) else {
                    throw fail("step \(step.id): a question has choices, and expect.fields.choice names one of them")
                }
            }
            steps.append(
                Step(
                    id: step.id, title: step.title,
                    expect: Expectation(
                        operation: step.expect.operation, outcome: outcome, code: step.expect.code, fields: step.expect.fields ?? [:]),
                    hints: step.hints ?? [], choices: choices, explanation: step.explanation ?? ""))
        }
        guard Set(steps.map(\.id)).count == steps.count else { throw fail("two steps share an id") }
        for setup in file.setup ?? [] where topology.businessSystem(id: setup.system) == nil {
            throw fail("setup.system \(setup.system) is not a business system of the topology")
        }
        id = file.id
        title = file.title
        titleEnglish = file.title_en ?? ""
        goal = file.goal
        scenario = file.scenario ?? "seed"
        organization = file.account.organization
        self.system = system.id
        setup = (file.setup ?? []).map {
            Setup(
                system: $0.system, user: $0.user, item: $0.item, provider: $0.provider, information: $0.information, addressNumber: $0.address_number)
        }
        self.steps = steps
    }

    struct File: Decodable {
        struct Account: Decodable {
            let organization: String
            let system: String
        }
        struct SetupEntry: Decodable {
            let system: String
            let user: String
            let item: String
            let provider: String
            let information: String
            let address_number: String
        }
        struct StepEntry: Decodable {
            struct Expect: Decodable {
                let operation: String
                let outcome: String?
                let code: String?
                let fields: [String: String]?
            }
            struct ChoiceEntry: Decodable {
                let key: String
                let text: String
            }
            let id: String
            let title: String
            let expect: Expect
            let hints: [String]?
            let choices: [ChoiceEntry]?
            let explanation: String?
        }
        let id: String
        let title: String
        let title_en: String?
        let goal: String
        let scenario: String?
        let account: Account
        let setup: [SetupEntry]?
        let steps: [StepEntry]
    }
}
