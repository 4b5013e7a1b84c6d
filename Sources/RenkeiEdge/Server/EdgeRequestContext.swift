public import Hummingbird
public import NIOCore
public import RenkeiNodes
public import RenkeiPKI

/// The context of one HTTPS request: who sent it, from the client certificate the TLS
/// handshake verified.
public struct EdgeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel
    /// Set by `IdentityMiddleware` before any route runs.
    public var identity: PeerIdentity?
    /// The request-journal entry of this request, opened by `JournalMiddleware`.
    public var trace = ""
    /// The journal that entry is in, for what only the route learns (an excerpt of a body that
    /// did not parse).
    public var journal: DecisionJournal?

    /// A batch of 10,000 rows is about 2.4 MB; nothing larger is read into memory.
    public var maxUploadSize: Int { EdgeLimits.maximumBody }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The caller, or a refusal when the middleware has not run (it always runs first).
    public func caller() throws -> PeerIdentity {
        guard let identity else { throw HTTPError(.unauthorized, message: "no verified client certificate") }
        return identity
    }
}

/// Bounds on what one request may carry.
public enum EdgeLimits {
    public static let maximumBody = 4 * 1024 * 1024
    public static let maximumJSONBody = 1024 * 1024
    public static let batchRows = 10_000
    /// A connection that sends nothing for this long is closed: before its TLS handshake
    /// completes (the timer starts when the connection opens) and between requests.
    public static let idleTimeout: TimeAmount = .seconds(30)
}
