import Foundation
import Hummingbird
import RenkeiConfig
import RenkeiCore
import RenkeiNodes

/// A person's やりとり履歴 as マイナポータル shows it (exchanges marked 不開示 are not shown):
/// what staff look at with a resident at the counter, who brings their 個人番号.
struct PortalRoutes: Sendable {
    let environment: ConsoleEnvironment

    func add(to router: Router<ConsoleRequestContext>) {
        router.get("/portal", use: environment.signedIn { request, _, session in try await portal(request, session) })
    }

    private func portal(_ request: Request, _ session: ConsoleSession) async throws -> Response {
        let text = request.uri.queryParameters["myNumber"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        var values: [String: Any] = [:]
        if !text.isEmpty {
            guard let directory = environment.dataDirectory else {
                throw RenkeiError(
                    .unavailable, "やりとり履歴 reads the network system's records from the data directory; this network keeps everything in memory")
            }
            let myNumber = try Parse.identifier("個人番号", text, MyNumber.init)
            let views = RecordViews(topology: environment.topology, dataDirectory: directory, pki: environment.network.pki)
            // The journal keeps the last four digits only: enough to score an exercise, not a 個人番号.
            let entries = try await environment.journaled(session, "portal", ["person": String(text.suffix(4))]) { _ throws(RenkeiError) in
                try await views.portal(myNumber: myNumber, limit: 1_000)
            }
            values["searched"] = true
            values["count"] = entries.count
            values["entries"] = entries.map { entry -> [String: Any] in
                [
                    "requestedAt": JSTTime.iso8601(entry.requestedAt), "inquirer": entry.inquirer, "provider": entry.provider,
                    "item": entry.item.japanese, "information": entry.information.joined(separator: "・"), "outcome": entry.outcome.rawValue,
                    "test": entry.testMode,
                ]
            }
        }
        return environment.pages.page("portal", title: "やりとり履歴", session: session, values: values)
    }
}
