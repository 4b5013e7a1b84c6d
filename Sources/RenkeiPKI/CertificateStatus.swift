import Crypto
public import Foundation
public import RenkeiCore
import Synchronization
public import X509

/// Whether a peer's certificate is still good: not revoked (the CA-signed revocation list
/// beside the certificates) and not expired on the simulation clock (so `--clock-offset` moves
/// certificates past their end as it moves everything else). Checked inside every TLS
/// handshake and, once a second, on every open connection.
public final class CertificateStatus: Sendable {
    private struct Cache {
        var version: [String]?
        var revoked: Set<String> = []
        var failure: RenkeiError?
    }

    private let listURL: URL
    private let authority: P256.Signing.PublicKey
    private let clock: SimulationClock
    private let cache = Mutex(Cache())

    public init(directory: URL, authority: Certificate, clock: SimulationClock = SimulationClock()) throws(RenkeiError) {
        guard let key = P256.Signing.PublicKey(authority.publicKey) else {
            throw RenkeiError(.unauthenticated, "the development CA's key is not P-256")
        }
        listURL = directory.appendingPathComponent(RevocationList.fileName)
        self.authority = key
        self.clock = clock
    }

    /// The same list, judged on another clock.
    public func on(_ clock: SimulationClock) -> CertificateStatus {
        CertificateStatus(listURL: listURL, authority: authority, clock: clock)
    }

    private init(listURL: URL, authority: P256.Signing.PublicKey, clock: SimulationClock) {
        self.listURL = listURL
        self.authority = authority
        self.clock = clock
    }

    /// Refuses a revoked certificate, or one past its end on the simulation clock.
    public func check(_ certificate: Certificate, holder: String) throws(RenkeiError) {
        let now = Date(timeIntervalSince1970: Double(clock.nowMicros()) / 1_000_000)
        guard now <= certificate.notValidAfter else {
            throw RenkeiError(
                .certificateExpired,
                "the certificate of \(holder) expired at \(JSTTime.iso8601(Int64(certificate.notValidAfter.timeIntervalSince1970 * 1_000_000))); issue a new one with renkei certs generate"
            )
        }
        // The start is BoringSSL's to check, on the real clock: a trainer moves the simulation
        // clock back (to show the 2015 table) without making today's certificates unborn.
        let revoked = try revokedSerials()
        guard !revoked.contains(certificate.serialHex) else {
            throw RenkeiError(.certificateRevoked, "the certificate of \(holder) (serial \(certificate.serialHex.prefix(16))…) is revoked")
        }
    }

    /// The revoked serials, re-read when the list file changes.
    private func revokedSerials() throws(RenkeiError) -> Set<String> {
        // The list is replaced by a rename, so its inode, size and time say whether it changed.
        let attributes = (try? FileManager.default.attributesOfItem(atPath: listURL.path)) ?? [:]
        let version = [FileAttributeKey.systemFileNumber, .size, .modificationDate].map { "\(attributes[$0] ?? "-")" }
        let cached: (Set<String>, RenkeiError?)? = cache.withLock { cache in
            cache.version == version ? (cache.revoked, cache.failure) : nil
        }
        if let (serials, failure) = cached {
            if let failure { throw failure }
            return serials
        }
        var serials = Set<String>()
        var failure: RenkeiError?
        do { serials = try RevocationList.read(listURL, authority: authority)?.serials ?? [] } catch { failure = error }
        cache.withLock { cache in
            cache.version = version
            cache.revoked = serials
            cache.failure = failure
        }
        if let failure { throw failure }
        return serials
    }
}
