import Foundation
import Hummingbird
import RenkeiConfig
import RenkeiCore
import RenkeiNodes

/// 手動応答: the inquiries about what the member of staff's 事務 provides that wait for a
/// person (自動応答不可), with the time left; provide from the 副本, or withhold with a reason.
struct QueueRoutes: Sendable {
    let environment: ConsoleEnvironment

    func add(to router: Router<ConsoleRequestContext>) {
        router.get("/queue", use: environment.signedIn { _, _, session in try await queue(session) })
        router.post(
            "/queue/:reception",
            use: environment.signedIn { request, context, session in
                try await resolve(try context.parameters.require("reception"), request, context, session)
            })
    }

    private var topology: Topology { environment.topology }

    private func providing(_ session: ConsoleSession) -> [Topology.BusinessSystemSpec] {
        session.systems.compactMap { topology.businessSystem(id: $0) }.filter { !$0.provides.isEmpty }
    }

    private func queue(_ session: ConsoleSession, notice: String? = nil) async throws -> Response {
        let systems = providing(session)
        guard !systems.isEmpty else {
            throw RenkeiError(.operatorNotAuthorized, "\(session.identity) works on no 事務 that provides 特定個人情報, so has no 手動応答 to handle")
        }
        let now = environment.network.clock.nowMicros()
        var rows = [[String: Any]]()
        for system in systems {
            let client = try await environment.linkage.client(system.id)
            let entries = try await environment.journaled(session, "manualQueue", ["system": system.id]) { _ throws(RenkeiError) in
                try await client.manualQueue(token: session.token, deadline: ConsoleLinkage.deadline())
            }
            for entry in entries {
                let code = try? InformationCode(entry.question.informationCode)
                rows.append([
                    "reception": entry.receptionNumber, "system": system.id, "systemName": system.name,
                    "inquirer": topology.organization(named: entry.inquirer)?.name ?? entry.inquirer,
                    "item": entry.question.item,
                    "information": code.flatMap { topology.catalogue.spec($0)?.name } ?? entry.question.informationCode,
                    "queuedAt": JSTTime.iso8601(entry.queuedAtMicros), "deadline": JSTTime.iso8601(entry.deadlineMicros),
                    "secondsLeft": max(0, (entry.deadlineMicros - now) / 1_000_000),
                ])
            }
        }
        var values: [String: Any] = ["entries": rows, "empty": rows.isEmpty]
        if let notice { values["notice"] = notice }
        return environment.pages.page("queue", title: "手動応答", session: session, values: values)
    }

    private func resolve(
        _ reception: String, _ request: Request, _ context: ConsoleRequestContext, _ session: ConsoleSession
    ) async throws -> Response {
        let form = try await environment.form(request, context, session)
        let system = try environment.system(session, named: try form.text("system", label: "事務", limit: 64))
        let provide: Bool
        switch form["action"] {
        case "provide": provide = true
        case "withhold": provide = false
        default: throw RenkeiError(.invalidRequest, "choose 提供 (provide) or 不提供 (withhold)")
        }
        let reason = try form.text("reason", label: "理由", limit: 200)
        if !provide, reason.isEmpty {
            throw RenkeiError(.invalidRequest, "不提供 (withhold) needs a reason: write why the information is not provided")
        }
        let fields = [
            "receptionNumber": reception, "system": system.id, "reason": reason, "information": form["information"].excerpt(32),
        ]
        let client = try await environment.linkage.client(system.id)
        try await environment.journaled(session, provide ? "provideManually" : "withholdManually", fields) { _ throws(RenkeiError) in
            try await client.resolveManually(reception, provide: provide, reason: reason, token: session.token, deadline: ConsoleLinkage.deadline())
        }
        return try await queue(session, notice: "\(reception) を\(provide ? "提供" : "不提供と")しました（\(provide ? "provided" : "withheld")）。")
    }
}
