import Hummingbird
import NIOCore
import NIOSSL
import RenkeiCore
import RenkeiNodes
import RenkeiPKI

/// Reads the caller's identity from its client certificate (verified by the TLS handshake
/// against the development CA) and refuses callers of the wrong role.
struct IdentityMiddleware: RouterMiddleware {
    typealias Context = EdgeRequestContext

    /// What the caller must be allowed: the business edge or the admin API.
    let action: AccessPolicy.Action
    let policy: AccessPolicy
    let faults: FaultInjector

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let certificate = try await context.channel.nioSSL_peerCertificate().get() else {
            throw RenkeiError(.unauthenticated, "no client certificate was presented; use one issued by the renkei development CA")
        }
        let identity = try PeerIdentity(verified: certificate)
        context.journal?.annotate(context.trace, identity: identity.name)
        try policy.require(identity, action)
        if faults.certificateExpired(holder: identity.name) {
            throw RenkeiError(.certificateExpired, "the certificate of \(identity.name) has expired (injected fault)")
        }
        var context = context
        context.identity = identity
        return try await next(request, context)
    }
}
