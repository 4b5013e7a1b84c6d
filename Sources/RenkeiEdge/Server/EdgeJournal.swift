import RenkeiCore
import RenkeiNodes
import RenkeiPKI

/// Opens a request-journal entry for each business request and closes it with the outcome;
/// the nodes add their checks to it under the same trace id.
struct EdgeJournal: Sendable {
    let journal: DecisionJournal
    let clock: SimulationClock

    func run<T>(
        _ identity: PeerIdentity, interface: String, operation: String, request: [String: String],
        reception: (T) -> String? = { _ in nil },
        _ body: (String) async throws -> T
    ) async throws -> T {
        let trace = journal.begin(interface: interface, identity: identity.name, operation: operation, request: request, at: clock.nowMicros())
        do {
            let result = try await body(trace)
            journal.finish(trace, status: 200, error: nil, receptionNumber: reception(result))
            return result
        } catch let error as RenkeiError {
            journal.finish(trace, status: Int(HTTPStatusMapping.status(for: error.code).code), error: error, receptionNumber: nil)
            throw error
        }
    }
}
