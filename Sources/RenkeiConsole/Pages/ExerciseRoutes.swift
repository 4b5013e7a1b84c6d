import Foundation
import Hummingbird
import RenkeiConfig
import RenkeiCore
import RenkeiNodes

/// The guided exercises: the goal, starting an attempt (with the inquiries the exercise sends
/// first), the steps scored from what the trainee really did, hints, and question steps.
struct ExerciseRoutes: Sendable {
    let environment: ConsoleEnvironment

    func add(to router: Router<ConsoleRequestContext>) {
        router.get(
            "/exercises/:id",
            use: environment.signedIn { _, context, session in
                try await page(try exercise(context), session)
            })
        router.post(
            "/exercises/:id/start",
            use: environment.signedIn { request, context, session in
                _ = try await environment.form(request, context, session)
                return try await start(try exercise(context), session)
            })
        router.post(
            "/exercises/:id/answer",
            use: environment.signedIn { request, context, session in
                let form = try await environment.form(request, context, session)
                return try await answer(try exercise(context), form, session)
            })
    }

    private func exercise(_ context: ConsoleRequestContext) throws -> Exercise {
        let id = try context.parameters.require("id")
        guard let exercise = environment.exercises.first(where: { $0.id == id }) else {
            throw RenkeiError(.notFound, "no exercise \(id.excerpt(64)) in \(environment.settings.exercises)")
        }
        return exercise
    }

    /// The trainee's score in `exercise`, nil before they start it.
    static func score(_ exercise: Exercise, trainee: String, environment: ConsoleEnvironment) async -> (ExerciseAttempts.Attempt, ExerciseScore)? {
        guard let attempt = await environment.attempts.attempt(trainee, exercise.id) else { return nil }
        return (attempt, ExerciseScore(exercise, entries: environment.entries(of: trainee, since: attempt.startedAt)))
    }

    private func page(_ exercise: Exercise, _ session: ConsoleSession, notice: String? = nil) async throws -> Response {
        var values: [String: Any] = [
            "exercise": [
                "id": exercise.id, "title": exercise.title, "titleEnglish": exercise.titleEnglish, "goal": exercise.goal,
                "scenario": exercise.scenario,
                "system": environment.topology.businessSystem(id: exercise.system)?.name ?? exercise.system,
                "organization": environment.topology.organization(id: exercise.organization)?.name ?? exercise.organization,
            ] as [String: Any],
            "wrongAccount": exercise.organization != session.organization.id || !session.systems.contains(exercise.system),
            "wrongScenario": (environment.network.control.scenario.current?.scenario ?? "seed") != exercise.scenario,
        ]
        if let notice { values["notice"] = notice }
        if let (attempt, score) = await Self.score(exercise, trainee: session.identity, environment: environment) {
            values["started"] = true
            // Mustache renders a section for any string, even an empty one: empty values are left out.
            if !attempt.setupReceptions.isEmpty { values["setupReceptions"] = attempt.setupReceptions.joined(separator: "、") }
            values["score"] = ["passed": score.passed, "total": score.total, "complete": score.complete]
            values["steps"] = score.steps.enumerated().map { index, result -> [String: Any] in
                var step: [String: Any] = [
                    "number": index + 1, "id": result.step.id, "title": result.step.title, "passed": result.passed, "tried": result.tried,
                    "hints": result.step.hints, "question": !result.step.choices.isEmpty && !result.passed,
                    "choices": result.step.choices.map { ["key": $0.key, "text": $0.text, "step": result.step.id] },
                ]
                if !result.feedback.isEmpty { step["feedback"] = result.feedback }
                if result.passed, !result.step.explanation.isEmpty { step["explanation"] = result.step.explanation }
                return step
            }
        }
        return environment.pages.page("exercise", title: exercise.title, session: session, values: values)
    }

    /// Starts (or starts again) the trainee's attempt: what they did before does not count, and
    /// the exercise's first inquiries are sent, as the staff its file names.
    private func start(_ exercise: Exercise, _ session: ConsoleSession) async throws -> Response {
        let started = environment.network.clock.nowMicros()
        var receptions = [String]()
        for setup in exercise.setup {
            let client = try await environment.linkage.client(setup.system)
            let result = try await environment.network.control.journal.run(
                interface: .console, identity: "exercise \(exercise.id) for \(session.identity)", operation: "inquire",
                request: ["system": setup.system, "item": setup.item, "provider": setup.provider, "addressNumber": setup.addressNumber],
                clock: environment.network.clock
            ) { trace throws(RenkeiError) in
                let question = try InquiryQuestion(
                    item: setup.item, provider: setup.provider, information: setup.information, user: setup.user, trace: trace,
                    topology: environment.topology)
                return try await client.inquire(
                    .addressNumber(setup.addressNumber), question, asynchronous: true, deadline: ConsoleLinkage.deadline())
            }
            receptions.append(result.receptionNumber)
        }
        _ = try await environment.attempts.start(session.identity, exercise.id, at: started, setupReceptions: receptions)
        return ConsolePages.redirect("/exercises/\(exercise.id)")
    }

    /// A question step's answer, journaled like every other action so that it is scored the same way.
    private func answer(_ exercise: Exercise, _ form: ConsoleForm, _ session: ConsoleSession) async throws -> Response {
        let stepID = try form.text("step", label: "手順", limit: 64)
        guard let step = exercise.steps.first(where: { $0.id == stepID }), !step.choices.isEmpty else {
            throw RenkeiError(.invalidRequest, "exercise \(exercise.id) has no question \(stepID.excerpt(64))")
        }
        let choice = try form.text("choice", label: "回答", limit: 16)
        guard step.choices.contains(where: { $0.key == choice }) else { throw RenkeiError(.invalidRequest, "choose one of the answers") }
        try await environment.journaled(session, "answer", ["exercise": exercise.id, "question": step.id, "choice": choice]) {
            _ throws(RenkeiError) in ()
        }
        return ConsolePages.redirect("/exercises/\(exercise.id)")
    }
}
