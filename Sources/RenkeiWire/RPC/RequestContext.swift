public import NIOCore
public import RenkeiPKI

/// What a handler knows about the request besides its body: who sent it (from the
/// connection's certificate) and until when the caller waits.
public struct RequestContext: Sendable {
    public let peer: PeerIdentity
    public let deadline: NIODeadline
    public let method: String

    public init(peer: PeerIdentity, deadline: NIODeadline, method: String) {
        self.peer = peer
        self.deadline = deadline
        self.method = method
    }
}
