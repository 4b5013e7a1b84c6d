import Foundation
import Hummingbird
import RenkeiConfig
import RenkeiCore
import RenkeiNodes

/// What every page of the console works with.
struct ConsoleEnvironment: Sendable {
    let network: LinkageNetwork
    let settings: Topology.ConsoleSettings
    let pages: ConsolePages
    let sessions: ConsoleSessions
    let linkage: ConsoleLinkage
    let exercises: [Exercise]
    let attempts: ExerciseAttempts
    let scenarios: URL
    /// Where the nodes' stores are, for views that read them (やりとり履歴); nil in memory.
    let dataDirectory: URL?

    var topology: Topology { network.topology }

    typealias Handler = @Sendable (Request, ConsoleRequestContext, ConsoleSession) async throws -> Response

    /// A page for signed-in staff: without a live session it sends the browser to sign in;
    /// a refusal becomes a page with its code and sentence.
    func signedIn(trainer: Bool = false, _ handler: @escaping Handler) -> @Sendable (Request, ConsoleRequestContext) async throws -> Response {
        { request, context in
            guard let session = context.session else {
                return ConsolePages.redirect(request.method == .get ? "/login?next=\(Self.next(request))" : "/login?expired=1")
            }
            do {
                if trainer, !session.isTrainer {
                    throw RenkeiError(
                        .operatorNotAuthorized, "\(session.identity) is not a trainer of this console (console.trainers in the topology)")
                }
                return try await handler(request, context, session)
            } catch let error as RenkeiError {
                return pages.error(error, session: session, back: request.headers[.referer].flatMap(Self.localPath))
            }
        }
    }

    /// A form of a signed-in page, its CSRF token checked first.
    func form(_ request: Request, _ context: ConsoleRequestContext, _ session: ConsoleSession) async throws -> ConsoleForm {
        try await ConsoleForm.read(request, context: context, csrf: session.csrfToken)
    }

    /// Runs a console action in a journal entry under the member of staff's name; the trace
    /// travels with the request, so the nodes' decision steps land in the same entry.
    func journaled<T>(
        _ session: ConsoleSession, _ operation: String, _ fields: [String: String], reception: (T) -> String? = { _ in nil },
        _ body: (String) async throws(RenkeiError) -> T
    ) async throws(RenkeiError) -> T {
        try await network.control.journal.run(
            interface: .console, identity: session.identity, operation: operation, request: fields, clock: network.clock, reception: reception, body)
    }

    /// The trainee's console entries since `since`, oldest first.
    func entries(of identity: String, since: Int64) -> [DecisionJournal.Entry] {
        var filter = DecisionJournal.Filter()
        filter.interface = .console
        filter.identity = identity
        filter.since = since
        filter.limit = 1_000
        return network.control.journal.entries(filter).reversed()
    }

    /// The business system of the session's that does `what`, the first one when the form names none.
    func system(_ session: ConsoleSession, named: String) throws(RenkeiError) -> Topology.BusinessSystemSpec {
        let id = named.isEmpty ? (session.systems.first ?? "") : named
        guard session.systems.contains(id), let system = topology.businessSystem(id: id) else {
            throw RenkeiError(
                .operatorNotAuthorized,
                "\(session.identity) works on \(session.systems.isEmpty ? "no 事務" : session.systems.joined(separator: ", ")), not on \(id.isEmpty ? "(none)" : id)"
            )
        }
        return system
    }

    private static func next(_ request: Request) -> String {
        request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_"))) ?? "/"
    }

    /// Only a path of this console is a way back (never another site).
    static func localPath(_ referer: String) -> String? {
        guard let url = URL(string: referer) else { return nil }
        let path = url.path
        return path.hasPrefix("/") && !path.hasPrefix("//") ? path : nil
    }
}
