import RenkeiCore
import RenkeiPKI
import RenkeiStore
import RenkeiWire
import Synchronization

/// Records a node's connection events in its audit log, and counts them and its requests in
/// its metrics.
///
/// Refused connections cost a stranger nothing to make, so they are summarised: in each
/// minute the first `recordedPerWindow` are recorded one by one, and the rest as one entry
/// that counts them, written with the first refusal after the minute.
struct AuditingObserver: RPCServerObserver {
    static let recordedPerWindow = 20
    static let window: Int64 = 60_000_000

    let environment: NodeEnvironment
    private let refusals = RefusalWindow()

    init(environment: NodeEnvironment) { self.environment = environment }

    func connectionAccepted(peer: PeerIdentity, remoteAddress: String) {
        environment.metrics.connectionAccepted()
        record(.connectionAccepted, actor: peer.name, "from \(remoteAddress)")
    }

    func connectionClosed(peer: PeerIdentity) { environment.metrics.connectionClosed() }

    func requestAnswered(method: String, code: String?, duration: Duration) {
        environment.metrics.requestAnswered(method: method, code: code, duration: duration)
    }

    func connectionRefused(remoteAddress: String, reason: String) {
        environment.metrics.connectionRefused()
        let now = environment.clock.nowMicros()
        // The journal is bounded by itself, so every refusal goes in, with what to do.
        environment.control.journal.record(
            interface: .tls, identity: remoteAddress, operation: "handshake with \(environment.name)",
            error: CertificateProblem.refusal(node: environment.name, reason: reason, trusting: environment.credentials.trustRoot), at: now)
        let (record, summary) = refusals.count(at: now, window: Self.window, recorded: Self.recordedPerWindow)
        if let summary {
            self.record(
                .connectionRefused, actor: nil,
                "\(summary.suppressed) more connections refused in the minute from \(summary.start) µs (not recorded one by one; the last from \(summary.lastRemote): \(summary.lastReason))"
            )
        }
        if record {
            self.record(.connectionRefused, actor: nil, "from \(remoteAddress): \(reason.excerpt(200))")
        } else {
            refusals.remember(remoteAddress, reason.excerpt(200))
        }
    }

    func frameRejected(peer: PeerIdentity?, remoteAddress: String, length: Int, limit: Int) {
        record(.frameRejected, actor: peer?.name, "\(length) bytes over the limit of \(limit) from \(remoteAddress)")
    }

    private func record(_ kind: AuditEvent.Kind, actor: String?, _ detail: String) {
        let write = environment.audit(kind, actor: actor, detail)
        let store = environment.store
        let logger = environment.logger
        // Connection events acknowledge nothing to anyone, so they need not hold up the event loop.
        Task {
            do { try await store.commit([write]) } catch { logger.error("cannot record an audit event", metadata: ["error": "\(error)"]) }
        }
    }
}

/// The refusals of the current minute: how many were recorded, how many only counted.
final class RefusalWindow: Sendable {
    struct Summary {
        let start: Int64
        let suppressed: Int
        let lastRemote: String
        let lastReason: String
    }

    private struct State {
        var start: Int64 = 0
        var recorded = 0
        var suppressed = 0
        var lastRemote = ""
        var lastReason = ""
    }

    private let state = Mutex(State())

    /// Whether this refusal is recorded one by one, and the summary of the window it closed.
    func count(at now: Int64, window: Int64, recorded limit: Int) -> (record: Bool, summary: Summary?) {
        state.withLock { state in
            var summary: Summary?
            if now - state.start >= window {
                if state.suppressed > 0 {
                    summary = Summary(start: state.start, suppressed: state.suppressed, lastRemote: state.lastRemote, lastReason: state.lastReason)
                }
                state = State(start: now)
            }
            guard state.recorded < limit else {
                state.suppressed += 1
                return (false, summary)
            }
            state.recorded += 1
            return (true, summary)
        }
    }

    func remember(_ remote: String, _ reason: String) {
        state.withLock { state in
            state.lastRemote = remote
            state.lastReason = reason
        }
    }
}
