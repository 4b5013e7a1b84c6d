import Foundation
import Hummingbird
import RenkeiConfig
import RenkeiCore
import RenkeiEdge
import RenkeiNodes

/// The trainer's faults: inject one (a provider offline, late, answering an error; a 符号 that
/// is missing; a certificate treated as expired), see those in force, remove one or all. The
/// fields are checked where the admin API checks them (`FaultBody`).
struct FaultRoutes: Sendable {
    let environment: ConsoleEnvironment

    func add(to router: Router<ConsoleRequestContext>) {
        router.get("/trainer/faults", use: environment.signedIn(trainer: true) { _, _, session in page(session) })
        router.post(
            "/trainer/faults",
            use: environment.signedIn(trainer: true) { request, context, session in
                try await inject(try await environment.form(request, context, session), session)
            })
        router.post(
            "/trainer/faults/:id/remove",
            use: environment.signedIn(trainer: true) { request, context, session in
                _ = try await environment.form(request, context, session)
                let id = try context.parameters.require("id")
                try await environment.journaled(session, "removeFault", ["id": id]) { _ throws(RenkeiError) in
                    guard environment.network.control.faults.remove(id: id) else { throw RenkeiError(.notFound, "no fault \(id.excerpt(16))") }
                }
                return page(session, notice: "障害 \(id) を解除しました（removed）。")
            })
        router.post(
            "/trainer/faults/clear",
            use: environment.signedIn(trainer: true) { request, context, session in
                _ = try await environment.form(request, context, session)
                try await environment.journaled(session, "clearFaults", [:]) { _ throws(RenkeiError) in environment.network.control.faults.clear() }
                return page(session, notice: "障害をすべて解除しました（cleared）。")
            })
    }

    static let kinds: [(String, String, String)] = [
        ("offline", "応答しない（オフライン）", "offline: no answer until the caller's deadline"),
        ("latency", "応答が遅れる", "latency"),
        ("error", "エラーを返す", "answers with an error code"),
        ("link-code-missing", "符号未取得として扱う", "the inquirer's tenant holds no 符号"),
        ("expired-certificate", "証明書を期限切れとして扱う", "the holder's certificate is treated as expired"),
    ]

    /// The faults in force, for this page and the trainer's.
    static func list(_ network: LinkageNetwork) -> [[String: Any]] {
        network.control.faults.faults.map { fault in
            var target = [fault.target.node, fault.target.tenant, fault.target.information?.rawValue].compactMap { $0 }.joined(separator: " / ")
            if target.isEmpty { target = "—" }
            return [
                "id": fault.id, "kind": FaultBody(fault).kind, "target": target, "description": String(describing: fault.kind),
                "remaining": fault.remaining.map(String.init) ?? "∞", "probability": String(fault.probability),
            ]
        }
    }

    private func page(_ session: ConsoleSession, notice: String? = nil, status: HTTPResponse.Status = .ok, error: String? = nil) -> Response {
        let topology = environment.topology
        let nodes = topology.nodes.map(\.name) + topology.businessSystems.map(\.id)
        var values: [String: Any] = [
            "faults": Self.list(environment.network),
            "kinds": Self.kinds.map { ["value": $0.0, "label": $0.1, "english": $0.2] },
            "nodes": nodes.map { ["name": $0] },
            "tenants": topology.organizations.map { ["id": $0.id, "name": $0.name] },
            "information": topology.catalogue.information.map { ["code": $0.code.rawValue, "name": $0.name] },
        ]
        if let notice { values["notice"] = notice }
        if let error { values["error"] = error }
        return environment.pages.page("faults", title: "障害の注入", session: session, values: values, status: status)
    }

    private func inject(_ form: ConsoleForm, _ session: ConsoleSession) async throws -> Response {
        var body = FaultBody(kind: try form.text("kind", label: "種類", limit: 32))
        func optional(_ name: String, _ label: String) throws(RenkeiError) -> String? {
            let value = try form.text(name, label: label, limit: 64)
            return value.isEmpty ? nil : value
        }
        func number(_ name: String, _ label: String) throws(RenkeiError) -> Int? {
            guard let text = try optional(name, label) else { return nil }
            guard let value = Int(text) else { throw RenkeiError(.invalidRequest, "\(label) must be a whole number, not \"\(text.excerpt(16))\"") }
            return value
        }
        body.node = try optional("node", "ノード")
        body.tenant = try optional("tenant", "機関")
        body.information = try optional("information", "特定個人情報名")
        body.latencyMs = try number("latencyMs", "遅延（ミリ秒）")
        body.errorCode = try optional("errorCode", "エラーコード")
        body.count = try number("count", "回数")
        if let text = try optional("probability", "確率") {
            guard let probability = Double(text) else { throw RenkeiError(.invalidRequest, "確率 must be a number above 0 and at most 1") }
            body.probability = probability
        }
        let fields = ["kind": body.kind, "node": body.node ?? "", "tenant": body.tenant ?? "", "information": body.information ?? ""]
        do {
            let fault = try await environment.journaled(session, "injectFault", fields) { _ throws(RenkeiError) in
                try body.inject(into: environment.network)
            }
            return page(session, notice: "障害 \(fault.id) を注入しました（injected）。")
        } catch {
            // The form stays on the page, with the sentence that says what to change.
            return page(session, status: .badRequest, error: "\(error.code.rawValue): \(error.message)")
        }
    }
}
