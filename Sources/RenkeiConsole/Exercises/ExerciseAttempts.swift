import RenkeiConfig
import RenkeiCore

/// Who is doing which exercise since when: the one place attempts are kept. Resetting one
/// trainee's attempt starts it again from now, leaving everyone else's as it is.
actor ExerciseAttempts {
    struct Attempt: Sendable, Hashable {
        let trainee: String
        let exercise: String
        /// Journal entries before this time are not part of the attempt.
        let startedAt: Int64
        /// The 受付番号 of the setup inquiries, for the trainee to find.
        let setupReceptions: [String]
    }

    private var attempts: [String: Attempt] = [:]
    static let limit = 10_000

    private static func key(_ trainee: String, _ exercise: String) -> String { "\(trainee)\u{0}\(exercise)" }

    func start(_ trainee: String, _ exercise: String, at time: Int64, setupReceptions: [String] = []) throws(RenkeiError) -> Attempt {
        guard attempts.count < Self.limit || attempts[Self.key(trainee, exercise)] != nil else {
            throw RenkeiError(.unavailable, "the console keeps at most \(Self.limit) attempts; a trainer resets the class first")
        }
        let attempt = Attempt(trainee: trainee, exercise: exercise, startedAt: time, setupReceptions: setupReceptions)
        attempts[Self.key(trainee, exercise)] = attempt
        return attempt
    }

    func attempt(_ trainee: String, _ exercise: String) -> Attempt? { attempts[Self.key(trainee, exercise)] }

    /// Ends one trainee's attempt; true when there was one.
    func reset(_ trainee: String, _ exercise: String) -> Bool { attempts.removeValue(forKey: Self.key(trainee, exercise)) != nil }

    func all() -> [Attempt] { attempts.values.sorted { ($0.trainee, $0.exercise) < ($1.trainee, $1.exercise) } }
}
