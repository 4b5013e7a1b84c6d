import Crypto
public import Foundation
public import RenkeiCore
public import X509

extension PKIDirectory {
    /// Where the time-stamping certificate of `holder` is kept: beside its stamping key.
    public func stampingCertificateURL(for holder: String) -> URL {
        keys.url.appendingPathComponent("\(holder.replacingOccurrences(of: "/", with: "_")).stamping.crt")
    }

    /// Issues the time-stamping certificate when there is none, or it no longer matches the
    /// stamping key or the CA, or is out of date; the key itself is never replaced.
    func ensureStampingCertificate(for holder: String, authority: DevelopmentCA, now: Date) throws(RenkeiError) {
        let key = try keys.signingKey(holder, .stamping)
        if let existing = try? stampingCertificate(for: holder),
            P256.Signing.PublicKey(existing.publicKey)?.rawRepresentation == key.publicKey.rawRepresentation,
            existing.issuer == authority.root.certificate.subject,
            existing.notValidAfter > max(now, Date()).addingTimeInterval(86400)
        {
            return
        }
        let certificate = try attempt("issue the time-stamping certificate of \(holder)") {
            try authority.issueStamping(holder: holder, key: key.publicKey, now: now)
        }
        let pem = try attempt("encode the time-stamping certificate of \(holder)") { try certificate.serializeAsPEM().pemString }
        try PrivateFiles.save(Array(pem.utf8), to: stampingCertificateURL(for: holder), mode: 0o644)
    }

    /// The time-stamping certificate of `holder`.
    public func stampingCertificate(for holder: String) throws(RenkeiError) -> Certificate {
        let location = stampingCertificateURL(for: holder)
        guard let pem = try? String(contentsOf: location, encoding: .utf8) else {
            throw RenkeiError(.keyMissing, "no time-stamping certificate at \(location.path); run `renkei certs generate`")
        }
        return try attempt("read \(location.path)") { try Certificate(pemEncoded: pem) }
    }

    /// The CA certificate, PEM, for verifiers outside Swift (OpenSSL's time-stamp check).
    public var authorityURL: URL { file("ca", "crt") }
}
