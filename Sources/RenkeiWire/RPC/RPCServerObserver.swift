public import RenkeiPKI

/// Events of a server's connections and requests: the seam where audit logging and metrics
/// attach. Called on the connection's event loop (requestAnswered where the handler ran);
/// implementations must not block.
public protocol RPCServerObserver: Sendable {
    func connectionAccepted(peer: PeerIdentity, remoteAddress: String)
    func connectionRefused(remoteAddress: String, reason: String)
    func frameRejected(peer: PeerIdentity?, remoteAddress: String, length: Int, limit: Int)
    /// An accepted connection ended.
    func connectionClosed(peer: PeerIdentity)
    /// A request was answered: `code` is the refusal's or failure's code, nil for an answer.
    func requestAnswered(method: String, code: String?, duration: Duration)
}

extension RPCServerObserver {
    public func connectionClosed(peer: PeerIdentity) {}
    public func requestAnswered(method: String, code: String?, duration: Duration) {}
}
