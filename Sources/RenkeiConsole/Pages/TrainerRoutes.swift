import Foundation
import Hummingbird
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiNodes

/// The trainer's pages: every trainee's progress (live), resetting one trainee's attempt, the
/// network reset to a scenario, faults; and the topology with live inquiries per second.
struct TrainerRoutes: Sendable {
    let environment: ConsoleEnvironment

    func add(to router: Router<ConsoleRequestContext>) {
        router.get("/trainer", use: environment.signedIn(trainer: true) { _, _, session in try await page(session) })
        router.get("/trainer/progress", use: environment.signedIn(trainer: true) { _, _, _ in try await progressJSON() })
        router.get("/trainer/events", use: environment.signedIn(trainer: true) { _, _, _ in events { try await progress() } })
        router.post(
            "/trainer/reset",
            use: environment.signedIn(trainer: true) { request, context, session in
                let form = try await environment.form(request, context, session)
                let trainee = try form.text("trainee", label: "研修生", limit: 140)
                let exercise = try form.text("exercise", label: "演習", limit: 64)
                _ = try await environment.journaled(session, "resetAttempt", ["trainee": trainee, "exercise": exercise]) { _ throws(RenkeiError) in
                    await environment.attempts.reset(trainee, exercise)
                }
                return ConsolePages.redirect("/trainer")
            })
        router.post(
            "/trainer/scenario",
            use: environment.signedIn(trainer: true) { request, context, session in
                let form = try await environment.form(request, context, session)
                let name = try form.text("scenario", label: "シナリオ", limit: 64)
                let scenario = try Scenario.load(named: name, in: environment.scenarios, topology: environment.topology)
                _ = try await environment.journaled(session, "resetNetwork", ["scenario": name]) { _ throws(RenkeiError) in
                    try await environment.network.reset(to: scenario, by: "console \(session.identity)")
                }
                return ConsolePages.redirect("/trainer")
            })
        router.get("/topology", use: environment.signedIn { _, _, session in await topologyPage(session) })
        router.get("/topology/events", use: environment.signedIn { _, _, _ in events { try rates() } })
        router.get("/topology/queues", use: environment.signedIn { _, _, _ in events { await queueDepths() } })
    }

    private func page(_ session: ConsoleSession) async throws -> Response {
        let scenarios = ((try? FileManager.default.contentsOfDirectory(atPath: environment.scenarios.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        return environment.pages.page(
            "trainer", title: "研修管理", session: session,
            values: [
                "rows": try await progress(), "scenarios": scenarios.map { ["name": $0] },
                "scenario": environment.network.control.scenario.current?.scenario ?? "seed",
                "faults": FaultRoutes.list(environment.network),
                "signedIn": await environment.sessions.live().map { ["identity": $0.identity, "name": $0.name] },
            ])
    }

    /// One row per attempt: the trainee, the exercise, steps passed of all.
    private func progress() async throws -> [[String: String]] {
        var rows = [[String: String]]()
        for attempt in await environment.attempts.all() {
            guard let exercise = environment.exercises.first(where: { $0.id == attempt.exercise }),
                let (_, score) = await ExerciseRoutes.score(exercise, trainee: attempt.trainee, environment: environment)
            else { continue }
            rows.append([
                "trainee": attempt.trainee, "exercise": exercise.id, "title": exercise.title, "passed": String(score.passed),
                "total": String(score.total),
                "state": score.complete ? "完了" : "実施中", "steps": score.steps.map { $0.passed ? "○" : ($0.tried ? "×" : "－") }.joined(),
            ])
        }
        return rows
    }

    private func progressJSON() async throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: try await progress(), options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Inquiries per second over the last 10 s, by the business system that asked, from the journal.
    private func rates() throws -> [[String: String]] {
        var filter = DecisionJournal.Filter()
        filter.since = environment.network.clock.nowMicros() - 10_000_000
        filter.limit = 10_000
        let inquiries = environment.network.control.journal.entries(filter).filter { $0.operation == "inquire" }
        var counts = [String: Int]()
        for entry in inquiries { counts[entry.identity, default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }.map { ["caller": $0.key, "perSecond": String(format: "%.1f", Double($0.value) / 10)] }
    }

    /// Inquiries waiting for staff (手動応答待ち) at each tenant of each 中間サーバー.
    private func queueDepths() async -> [[String: String]] {
        var rows = [[String: String]]()
        for (name, server) in environment.network.actors.intermediateServers.sorted(by: { $0.key < $1.key }) {
            for (tenant, depth) in await server.queueDepths().sorted(by: { $0.key < $1.key }) {
                rows.append(["tenant": environment.topology.organization(id: tenant)?.name ?? tenant, "server": name, "depth": String(depth)])
            }
        }
        return rows
    }

    private func topologyPage(_ session: ConsoleSession) async -> Response {
        let nodes = environment.network.nodes.map { node in
            ["name": node.name, "role": node.role.rawValue, "address": node.address.description, "summary": node.summary]
        }
        return environment.pages.page(
            "topology", title: "ネットワーク構成", session: session,
            values: ["nodes": nodes, "rates": (try? rates()) ?? [], "queues": await queueDepths()])
    }

    /// Server-sent events: `make()` as JSON every two seconds, for an hour at most (the page
    /// reconnects); the stream ends when the browser goes away.
    private func events(_ make: @escaping @Sendable () async throws -> [[String: String]]) -> Response {
        let body = ResponseBody { writer in
            for _ in 0..<1_800 {
                let data = try JSONSerialization.data(withJSONObject: try await make(), options: [.sortedKeys, .withoutEscapingSlashes])
                try await writer.write(ByteBuffer(string: "data: \(String(decoding: data, as: UTF8.self))\n\n"))
                try await Task.sleep(for: .seconds(2))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }
}
