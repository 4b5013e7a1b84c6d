import Crypto
public import Foundation
public import RenkeiCore
import SwiftASN1
public import X509

/// The development PKI on disk: `ca.crt`/`ca.key` and one `NAME.crt`/`NAME.key` pair per
/// holder (a `/` in a name becomes `_`). Keys are written readable by the owner only.
public struct PKIDirectory: Sendable {
    public struct Report: Sendable, Equatable {
        public var createdAuthority = false
        public var issued: [String] = []
        public var kept: [String] = []
        /// Purpose keys made (`NAME.PURPOSE`).
        public var keysMade: [String] = []
    }

    public let url: URL

    public init(url: URL) { self.url = url }

    /// The purpose keys, beside the certificates.
    public var keys: PurposeKeys { PurposeKeys(url: url.appendingPathComponent("keys")) }

    /// Makes the CA when it is missing and a certificate for every subject that has none
    /// (or whose certificate no longer matches its subject or the CA, or was revoked).
    @discardableResult
    public func ensure(_ subjects: [CertificateSubject], tenants: [String] = [], now: Date = Date()) throws(RenkeiError) -> Report {
        var report = Report()
        try PrivateFiles.directory(url)
        let authority: DevelopmentCA
        if FileManager.default.fileExists(atPath: file("ca", "crt").path) {
            authority = DevelopmentCA(root: try load("ca"))
        } else {
            authority = try attempt("make the development CA") { try DevelopmentCA.generate(now: now) }
            try store(authority.root, as: "ca")
            report.createdAuthority = true
        }
        // On a PKI from before purpose keys, the TLS keys as they were before any renewal here:
        // they signed the checkpoints and made the 符号 so far.
        var legacy = [String: P256.Signing.PrivateKey]()
        if !report.createdAuthority, !keys.hasManifest {
            for subject in subjects { if let existing = try? load(subject.name) { legacy[subject.name] = existing.privateKey } }
        }
        // A revoked certificate is replaced by a new one (a new serial, not on the list).
        let revoked = report.createdAuthority ? [] : Set(((try? revocations()) ?? []).map(\.serial))
        for subject in subjects {
            if !report.createdAuthority, let existing = try? load(subject.name), !revoked.contains(existing.certificate.serialHex),
                (try? PeerIdentity(certificate: existing.certificate))
                    == PeerIdentity(name: subject.name, role: subject.role, organizationCode: subject.organizationCode),
                existing.certificate.issuer == authority.root.certificate.subject,
                // A node moved to another host or name gets a certificate that names it there.
                subject.hosts.allSatisfy({ HostNames.isWildcard($0) || HostNames.certificate(existing.certificate, names: $0) }),
                existing.certificate.notValidAfter > max(now, Date()).addingTimeInterval(86400)
            {
                report.kept.append(subject.name)
                continue
            }
            let issued = try attempt("issue a certificate for \(subject.name)") { try authority.issue(for: subject, now: now) }
            try store(issued, as: subject.name)
            report.issued.append(subject.name)
        }
        // The purpose keys are not the TLS keys: a renewal above leaves them as they are.
        report.keysMade = try keys.ensure(
            subjects.flatMap { subject in KeyPurpose.needed(by: subject.role).map { (subject.name, $0) } } + tenants.map { ($0, .content) },
            legacyKey: { name in legacy[name] })
        for subject in subjects where KeyPurpose.needed(by: subject.role).contains(.stamping) {
            try ensureStampingCertificate(for: subject.name, authority: authority, now: now)
        }
        return report
    }

    /// A holder's credentials, read from disk.
    public func credentials(for name: String) throws(RenkeiError) -> Credentials {
        let own = try load(name)
        let authority = try loadCertificate("ca")
        return try Credentials(
            certificate: own.certificate, privateKey: own.privateKey, trustRoot: authority,
            status: try CertificateStatus(directory: url, authority: authority))
    }

    /// Another holder's certificate (for example the network system's, to verify permits).
    public func certificate(for name: String) throws(RenkeiError) -> Certificate {
        try loadCertificate(name)
    }

    func file(_ name: String, _ suffix: String) -> URL {
        url.appendingPathComponent("\(name.replacingOccurrences(of: "/", with: "_")).\(suffix)")
    }

    func loadCertificate(_ name: String) throws(RenkeiError) -> Certificate {
        let certificateURL = file(name, "crt")
        guard let pem = try? String(contentsOf: certificateURL, encoding: .utf8) else {
            throw RenkeiError(.unauthenticated, "no certificate for \(name) at \(certificateURL.path); run `renkei certs generate --dir \(url.path)`")
        }
        return try attempt("read \(certificateURL.path)") { try Certificate(pemEncoded: pem) }
    }

    func load(_ name: String) throws(RenkeiError) -> IssuedCertificate {
        let certificateURL = file(name, "crt")
        let keyURL = file(name, "key")
        let certificate = try loadCertificate(name)
        guard let keyPEM = try? String(contentsOf: keyURL, encoding: .utf8) else {
            throw RenkeiError(
                .unauthenticated,
                "no private key for \(name) at \(keyURL.path); delete \(certificateURL.lastPathComponent) and run `renkei certs generate` to make a new pair"
            )
        }
        let key = try attempt("read \(keyURL.path)") { try P256.Signing.PrivateKey(pemRepresentation: keyPEM) }
        guard key.publicKey.rawRepresentation == P256.Signing.PublicKey(certificate.publicKey)?.rawRepresentation else {
            throw RenkeiError(.unauthenticated, "\(keyURL.path) is not the key of \(certificateURL.path)")
        }
        return IssuedCertificate(certificate: certificate, privateKey: key)
    }

    func store(_ issued: IssuedCertificate, as name: String) throws(RenkeiError) {
        let certificateURL = file(name, "crt")
        let keyURL = file(name, "key")
        let pem = try attempt("encode the certificate of \(name)") { try issued.certificate.serializeAsPEM().pemString }
        try PrivateFiles.save(Array(pem.utf8), to: certificateURL, mode: 0o644)
        try PrivateFiles.save(Array(issued.privateKey.pemRepresentation.utf8), to: keyURL, mode: 0o600)
    }

    func attempt<T>(_ what: String, _ body: () throws -> T) throws(RenkeiError) -> T {
        do { return try body() } catch let error as RenkeiError { throw error } catch {
            throw RenkeiError(.unauthenticated, "cannot \(what): \(error)")
        }
    }
}
