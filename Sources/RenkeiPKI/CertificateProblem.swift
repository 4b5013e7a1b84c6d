import Crypto
public import RenkeiCore
import SwiftASN1
public import X509

/// Certificate and TLS failures as sentences a person can act on: which certificate, which CA,
/// and what to do — instead of BoringSSL's error stack and a build path.
public enum CertificateProblem {
    /// What BoringSSL's reason text means, in the words of this project; `peer` is the other
    /// side ("the client", or the node a client called).
    static func meaning(_ reason: String, peer: String) -> String {
        let text = reason.lowercased()
        if text.contains("alert_unknown_ca") || text.contains("alert unknown ca") {
            return "\(peer) does not trust the CA that issued this side's certificate"
        }
        if text.contains("certificate_verify_failed") || text.contains("unknown ca") || text.contains("unable to get local issuer")
            || text.contains("self signed") || text.contains("unknown_ca")
        {
            return "the certificate of \(peer) was not issued by the CA this side trusts"
        }
        if text.contains("expired") { return "a certificate has expired" }
        if text.contains("no certificate") || text.contains("peer_did_not_return_a_certificate") || text.contains("certificate required")
            || text.contains("certificate_required")
        {
            return "no client certificate was presented"
        }
        if text.contains("wrong version") || text.contains("http request") || text.contains("wrong_version_number") {
            return "the client did not speak TLS (plain HTTP to an HTTPS port?)"
        }
        if text.contains("handshake") && text.contains("timeout") || text.contains("no tls handshake") { return "no TLS handshake came in time" }
        if text.contains("hostname") || text.contains("name mismatch") || text.contains("expected") {
            return "the certificate of \(peer) names another node"
        }
        return "the TLS handshake failed"
    }

    /// BoringSSL's reason codes (CERTIFICATE_VERIFY_FAILED, TLSV1_ALERT_UNKNOWN_CA …) without its
    /// error stack and the build path it carries; the error's own words, paths removed, when
    /// it has no code.
    public static func reasonCodes(_ reason: String) -> String {
        let codes = reason.matches(of: /OPENSSL_internal:([A-Z0-9_]+)/).map { String($0.output.1) }
        if !codes.isEmpty { return unique(codes).joined(separator: ", ") }
        return reason.replacing(/\/[^\s:,)\]]+/, with: "…").excerpt(120)
    }

    /// Keeps the first of each code, in order.
    private static func unique(_ codes: [String]) -> [String] {
        var seen = Set<String>()
        return codes.filter { seen.insert($0).inserted }
    }

    /// The CA a side trusts, as a person can compare it with another: its subject and the start
    /// of its SHA-256 fingerprint (what `openssl x509 -fingerprint -sha256 -in ca.crt` prints).
    public static func authority(_ ca: Certificate) -> String {
        var serializer = DER.Serializer()
        guard (try? serializer.serialize(ca)) != nil else { return "\"\(ca.subject)\"" }
        let digest = hex(SHA256.hash(data: serializer.serializedBytes).prefix(8))
        return "\"\(ca.subject)\" (SHA-256 \(digest)…)"
    }

    /// A handshake `node` refused, as recorded in its journal and audit log.
    public static func refusal(node: String, reason: String, trusting ca: Certificate) -> RenkeiError {
        RenkeiError(
            .certificateProblem,
            "\(node) refused the TLS handshake: \(meaning(reason, peer: "the client")). It accepts client certificates issued by the CA \(authority(ca)), the one in its network's certs/ca.crt: present the certificate `renkei certs generate` made there for your system (BoringSSL: \(reasonCodes(reason)))"
        )
    }

    /// A handshake this process could not complete, from the client's side: `certificate` is
    /// the one it presented, `ca` the CA it trusts.
    public static func handshake(with target: String, reason: String, presenting certificate: Certificate, trusting ca: Certificate) -> RenkeiError {
        RenkeiError(
            .certificateProblem,
            "the TLS handshake with \(target) failed: \(meaning(reason, peer: target)). This side presented \"\(certificate.subject)\" and trusts the CA \(authority(ca)); both must come from the certs/ of the renkei up you talk to (--certs DIR), or run renkei certs generate and restart renkei up (BoringSSL: \(reasonCodes(reason)))"
        )
    }
}
