import Hummingbird
import RenkeiCore
import RenkeiNodes
import RenkeiPKI

/// The request journal as the edge's routes use it: `JournalMiddleware` opened an entry for the
/// request (its trace is in the context); a route names the operation and its fields, runs the
/// linkage under that trace, and notes what did not parse.
struct EdgeJournal: Sendable {
    let journal: DecisionJournal
    let clock: SimulationClock

    func run<T>(
        _ context: EdgeRequestContext, operation: String, request: [String: String],
        reception: (T) -> String? = { _ in nil },
        _ body: (String) async throws -> T
    ) async throws -> T {
        journal.annotate(context.trace, operation: operation, request: request)
        do {
            let result = try await body(context.trace)
            if let number = reception(result) { journal.reception(context.trace, number) }
            return result
        } catch let error as RenkeiError {
            journal.finish(context.trace, error: error, at: clock.nowMicros())
            throw error
        }
    }

    /// A request whose body did not parse: the excerpt of what was sent goes into its entry.
    func unparsed(_ context: EdgeRequestContext, operation: String? = nil, bytes: some Sequence<UInt8>, error: RenkeiError) {
        journal.annotate(context.trace, operation: operation, excerpt: DecisionJournal.excerpt(of: bytes))
        journal.finish(context.trace, error: error, at: clock.nowMicros())
    }

    /// A route that answers an error in its own format (the XML error 電文, a batch result)
    /// closes the entry with the code, since no error reaches the middleware.
    func failed(_ context: EdgeRequestContext, _ error: RenkeiError) {
        journal.finish(context.trace, error: error, at: clock.nowMicros())
    }
}

/// Opens a journal entry for every request an edge receives, before anything can refuse it,
/// and closes it with the answer: so a request refused for its certificate, its route or its
/// body is journaled like one the linkage answered.
struct JournalMiddleware: RouterMiddleware {
    typealias Context = EdgeRequestContext
    let journal: DecisionJournal
    let clock: SimulationClock

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        // Reading the journal is not journaled: `--follow` would fill it with itself.
        if path == "/admin/journal" { return try await next(request, context) }
        let interface: DecisionJournal.Interface =
            path.hasPrefix("/admin") ? .admin : path == "/v1/xml" ? .xml : path == "/v1/batch" ? .batch : .rest
        let remote = context.channel.remoteAddress.map { "\($0)" } ?? "?"
        let trace = journal.begin(
            interface: interface, identity: "(unverified) \(remote)", operation: "\(request.method) \(path.excerpt(128))",
            request: [:], at: clock.nowMicros())
        var context = context
        context.trace = trace
        context.journal = journal
        do {
            let response = try await next(request, context)
            journal.finish(trace, error: nil, status: Int(response.status.code), at: clock.nowMicros())
            return response
        } catch let error as RenkeiError {
            journal.finish(trace, error: error, at: clock.nowMicros())
            throw error
        } catch let error as HTTPError {
            journal.finish(trace, error: ErrorMiddleware.renkeiError(error, request), status: Int(error.status.code), at: clock.nowMicros())
            throw error
        }
    }
}
