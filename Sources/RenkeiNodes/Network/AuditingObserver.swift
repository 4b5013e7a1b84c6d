import RenkeiCore
import RenkeiPKI
import RenkeiStore
import RenkeiWire

/// Records a node's connection events in its audit log.
struct AuditingObserver: RPCServerObserver {
    let environment: NodeEnvironment

    func connectionAccepted(peer: PeerIdentity, remoteAddress: String) {
        record(.connectionAccepted, actor: peer.name, "from \(remoteAddress)")
    }

    func connectionRefused(remoteAddress: String, reason: String) {
        record(.connectionRefused, actor: nil, "from \(remoteAddress): \(reason)")
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
