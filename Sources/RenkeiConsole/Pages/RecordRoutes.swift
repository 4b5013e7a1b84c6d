import Foundation
import Hummingbird
import RenkeiConfig
import RenkeiCore
import RenkeiEdge
import RenkeiNodes

/// 情報提供等記録: the records of the member of staff's 事務, searched as the API searches them.
struct RecordRoutes: Sendable {
    let environment: ConsoleEnvironment

    func add(to router: Router<ConsoleRequestContext>) {
        router.get("/records", use: environment.signedIn { request, _, session in try await records(request, session) })
    }

    private func records(_ request: Request, _ session: ConsoleSession) async throws -> Response {
        let topology = environment.topology
        let query = request.uri.queryParameters
        let systemID = query["system"].map(String.init) ?? ""
        let system = try environment.system(session, named: systemID)
        var values: [String: Any] = [
            "systems": session.systems.compactMap { topology.businessSystem(id: $0) }.map {
                ["id": $0.id, "name": $0.name, "selected": $0.id == system.id]
            },
            "item": query["item"].map(String.init) ?? "", "since": query["since"].map(String.init) ?? "",
        ]
        if query["search"] != nil {
            let search = try RecordSearchQuery.parse(query, topology: topology)
            let client = try await environment.linkage.client(system.id)
            let list = try await environment.journaled(session, "records", ["system": system.id, "item": search.item]) { _ throws(RenkeiError) in
                try await client.records(search, deadline: ConsoleLinkage.deadline())
            }
            let name: (OrganizationCode) -> String = { topology.organization(code: $0)?.name ?? $0.rawValue }
            values["searched"] = true
            values["records"] = list.records.map { record -> [String: Any] in
                [
                    "party": record.party.rawValue, "reception": record.receptionNumber.rawValue, "inquirer": name(record.inquirer),
                    "provider": name(record.provider), "item": record.item.japanese,
                    "information": record.informationCodes.map(\.rawValue).joined(separator: ", "),
                    "requestedAt": JSTTime.iso8601(record.requestedAt), "providedAt": record.providedAt.map(JSTTime.iso8601) ?? "",
                    "outcome": record.outcome.rawValue, "nondisclosure": record.inquirerNondisclosure || record.providerNondisclosure,
                    "operator": record.operatorUser ?? "",
                ]
            }
            values["count"] = list.records.count
        }
        return environment.pages.page("records", title: "情報提供等記録", session: session, values: values)
    }
}
