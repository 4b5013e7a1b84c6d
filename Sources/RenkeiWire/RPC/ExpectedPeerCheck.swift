import NIOCore
import NIOSSL
import RenkeiCore
import RenkeiPKI

/// The client's check that the server is the node it meant to reach. The CA vouches for the
/// certificate; this checks its name, inside the handshake (NIOSSL runs it once BoringSSL has
/// verified the chain), so a wrong peer fails the handshake itself and no request is ever
/// written to it.
enum ExpectedPeerCheck {
    static func clientHandler(context: NIOSSLContext, expectedPeer: String?, target: String) throws -> NIOSSLClientHandler {
        guard let expectedPeer else { return try NIOSSLClientHandler(context: context, serverHostname: nil) }
        // `_makeSSLClientHandler` is NIOSSL's hook for checks after its own verification (the
        // one grpc-swift uses); underscored, so pinned by the swift-nio-ssl version we build with.
        return try NIOSSLClientHandler._makeSSLClientHandler(context: context, serverHostname: nil) { certificate, channel in
            do throws(RenkeiError) {
                let identity = try PeerIdentity(verified: certificate)
                guard identity.name == expectedPeer else {
                    return channel.eventLoop.makeFailedFuture(
                        RenkeiError(.unauthenticated, "\(target) presented the certificate of \(identity), not of \(expectedPeer)")
                    )
                }
                return channel.eventLoop.makeSucceededVoidFuture()
            } catch {
                return channel.eventLoop.makeFailedFuture(
                    RenkeiError(.unauthenticated, "\(target) presented a certificate that names no node: \(error.message)"))
            }
        }
    }
}
