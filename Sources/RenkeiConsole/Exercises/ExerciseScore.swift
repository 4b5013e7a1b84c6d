import RenkeiConfig
import RenkeiCore
import RenkeiNodes

/// How far one trainee got in one exercise, step by step, judged from the journal entries made
/// under their name since the attempt started.
struct ExerciseScore: Sendable, Hashable {
    struct StepResult: Sendable, Hashable {
        let step: Exercise.Step
        let passed: Bool
        /// What was wrong with the latest try, naming the field or the rule; empty when passed
        /// or not tried.
        let feedback: String
        let tried: Bool
    }

    let steps: [StepResult]

    var passed: Int { steps.filter(\.passed).count }
    var total: Int { steps.count }
    var complete: Bool { passed == total }

    /// Japanese names of the fields a step checks, with the English term.
    static let fieldNames: [String: String] = [
        "item": "項番 (item)", "provider": "情報照会先 (provider)", "information": "特定個人情報名 (information)",
        "addressNumber": "宛名番号 (address number)", "choice": "回答 (answer)", "reason": "理由 (reason)", "inquirer": "照会元 (inquirer)",
        "system": "事務 (business system)", "procedure": "事務手続 (procedure)",
    ]

    /// `entries` are the trainee's console entries since the attempt began, oldest first.
    init(_ exercise: Exercise, entries: [DecisionJournal.Entry]) {
        steps = exercise.steps.map { step in
            let tries = entries.filter { $0.operation == step.expect.operation && $0.outcome != .open }
            if tries.contains(where: { Self.matches(step.expect, $0) }) {
                return StepResult(step: step, passed: true, feedback: "", tried: true)
            }
            guard let latest = tries.last else { return StepResult(step: step, passed: false, feedback: "", tried: false) }
            return StepResult(step: step, passed: false, feedback: Self.feedback(step.expect, latest), tried: true)
        }
    }

    static func matches(_ expect: Exercise.Expectation, _ entry: DecisionJournal.Entry) -> Bool {
        guard entry.outcome.rawValue == expect.outcome else { return false }
        if let code = expect.code, entry.code != code { return false }
        return expect.fields.allSatisfy { key, value in
            let sent = entry.request[key] ?? ""
            return value == "*" ? !sent.isEmpty : sent == value
        }
    }

    /// The first thing that differs, in the order a trainee can act on: a field sent, then the
    /// outcome, with the rule the linkage applied (the first failed check of the trace).
    static func feedback(_ expect: Exercise.Expectation, _ entry: DecisionJournal.Entry) -> String {
        for (key, value) in expect.fields.sorted(by: { $0.key < $1.key }) {
            let sent = entry.request[key] ?? ""
            let name = fieldNames[key] ?? key
            if value == "*", sent.isEmpty { return "\(name) が入力されていません。" }
            if value != "*", sent != value {
                return "\(name) が「\(sent.isEmpty ? "（空）" : sent)」でした。この手順で求められているのは別の値です。"
            }
        }
        var text = "結果が「\(entry.outcome.rawValue)」でした（求められているのは「\(expect.outcome)」\(expect.code.map { "、\($0)" } ?? "")）。"
        if let code = entry.code { text += " \(code): \(entry.message ?? "")" }
        if let miss = entry.nearMiss {
            text += " 判定: \(miss.check)\(miss.field.map { "（\(fieldNames[$0] ?? $0)）" } ?? "") — \(miss.detail)"
            if let accepted = miss.accepted { text += " 許される例: \(accepted)" }
        }
        return text
    }
}
