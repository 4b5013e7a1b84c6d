import Foundation
import Hummingbird
import RenkeiConfig
import RenkeiCore
import RenkeiNodes

/// 監査の状態: `renkei audit verify` on the running network's data, node by node — each log's
/// chain, signed checkpoints, the newest checkpoint the time-stamping authority witnessed, and
/// the append-only rows.
struct AuditRoutes: Sendable {
    let environment: ConsoleEnvironment

    func add(to router: Router<ConsoleRequestContext>) {
        router.get("/audit", use: environment.signedIn { _, _, session in try await audit(session) })
    }

    private func audit(_ session: ConsoleSession) async throws -> Response {
        guard let directory = environment.dataDirectory else {
            throw RenkeiError(
                .unavailable, "audit verification reads the nodes' stores from the data directory; this network keeps everything in memory")
        }
        let network = environment.network
        let check = try await environment.journaled(session, "verifyAudit", [:]) { _ throws(RenkeiError) in
            try await AuditCheck.run(topology: network.topology, data: directory, pki: network.pki)
        }
        return environment.pages.page(
            "audit", title: "監査ログの検証", session: session,
            values: [
                "passed": check.passed, "problem": check.problem ?? "", "hasProblem": check.problem != nil,
                "nodes": check.nodes.map { ["node": $0.node, "passed": $0.passed, "lines": $0.lines] as [String: Any] },
            ])
    }
}
