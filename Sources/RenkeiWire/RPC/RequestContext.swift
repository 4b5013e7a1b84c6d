public import NIOCore
public import RenkeiPKI

/// What a handler knows about the request besides its body: who sent it (from the
/// connection's certificate) and until when the caller waits.
public struct RequestContext: Sendable {
    public let peer: PeerIdentity
    public let deadline: NIODeadline
    public let method: String
    /// True when the caller already opened a request-journal entry for this request (an edge
    /// calling its node in process), so the node does not open a second one.
    public let journaled: Bool

    public init(peer: PeerIdentity, deadline: NIODeadline, method: String, journaled: Bool = false) {
        self.peer = peer
        self.deadline = deadline
        self.method = method
        self.journaled = journaled
    }
}
