public import RenkeiPKI

/// Security-relevant events of a server's connections: the seam where audit logging
/// attaches. Called on the connection's event loop; implementations must not block.
public protocol RPCServerObserver: Sendable {
    func connectionAccepted(peer: PeerIdentity, remoteAddress: String)
    func connectionRefused(remoteAddress: String, reason: String)
    func frameRejected(peer: PeerIdentity?, remoteAddress: String, length: Int, limit: Int)
}
