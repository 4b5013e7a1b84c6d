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
    /// What is checked of a certificate, taken from it once: a watched connection checks it
    /// every second.
    public struct Subject: Sendable {
        public let holder: String
        public let serialHex: String
        public let notValidAfter: Date

        public init(_ certificate: Certificate, holder: String) {
            self.holder = holder
            serialHex = certificate.serialHex
            notValidAfter = certificate.notValidAfter
        }
    }

    /// Which file the list was read from: it is replaced by a rename, so its inode, size and
    /// modification time say whether it changed. Nil when there is no file.
    private struct FileVersion: Equatable {
        let inode: UInt64
        let size: Int64
        let modifiedSeconds: Int
        let modifiedNanoseconds: Int
    }

    private struct Cache {
        var version: FileVersion??
        var revoked: Set<String> = []
        var failure: RenkeiError?
    }

    private let listURL: URL
    private let listPath: String
    private let authority: P256.Signing.PublicKey
    private let clock: SimulationClock
    private let cache = Mutex(Cache())

    public init(directory: URL, authority: Certificate, clock: SimulationClock = SimulationClock()) throws(RenkeiError) {
        guard let key = P256.Signing.PublicKey(authority.publicKey) else {
            throw RenkeiError(.unauthenticated, "the development CA's key is not P-256")
        }
        listURL = directory.appendingPathComponent(RevocationList.fileName)
        listPath = listURL.path
        self.authority = key
        self.clock = clock
    }

    /// The same list, judged on another clock.
    public func on(_ clock: SimulationClock) -> CertificateStatus {
        CertificateStatus(listURL: listURL, authority: authority, clock: clock)
    }

    private init(listURL: URL, authority: P256.Signing.PublicKey, clock: SimulationClock) {
        self.listURL = listURL
        listPath = listURL.path
        self.authority = authority
        self.clock = clock
    }

    /// Refuses a revoked certificate, or one past its end on the simulation clock.
    public func check(_ certificate: Certificate, holder: String) throws(RenkeiError) {
        try check(Subject(certificate, holder: holder))
    }

    /// The same check of what was taken from a certificate once.
    public func check(_ subject: Subject) throws(RenkeiError) {
        let now = Date(timeIntervalSince1970: Double(clock.nowMicros()) / 1_000_000)
        guard now <= subject.notValidAfter else {
            throw RenkeiError(
                .certificateExpired,
                "the certificate of \(subject.holder) expired at \(JSTTime.iso8601(Int64(subject.notValidAfter.timeIntervalSince1970 * 1_000_000))); issue a new one with renkei certs generate"
            )
        }
        // The start is BoringSSL's to check, on the real clock: a trainer moves the simulation
        // clock back (to show the 2015 table) without making today's certificates unborn.
        let revoked = try revokedSerials()
        guard !revoked.contains(subject.serialHex) else {
            throw RenkeiError(.certificateRevoked, "the certificate of \(subject.holder) (serial \(subject.serialHex.prefix(16))…) is revoked")
        }
    }

    /// The revoked serials, re-read when the list file changes.
    private func revokedSerials() throws(RenkeiError) -> Set<String> {
        // One stat(2): every open connection asks once a second (FileManager's attributes cost
        // about 70,000 instructions a time; callgrind, issue 16).
        var info = stat()
        let version: FileVersion? =
            stat(listPath, &info) == 0
            ? FileVersion(
                inode: UInt64(info.st_ino), size: Int64(info.st_size), modifiedSeconds: Int(info.st_mtim.tv_sec),
                modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
            : nil
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
