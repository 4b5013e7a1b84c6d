public import RenkeiCore

/// Certificate and TLS failures as sentences a person can act on: which certificate, which CA,
/// and what to do — instead of BoringSSL's error stack and a build path.
public enum CertificateProblem {
    /// What BoringSSL's reason text means, in the words of this project.
    static func meaning(_ reason: String) -> String {
        let text = reason.lowercased()
        if text.contains("certificate_verify_failed") || text.contains("unknown ca") || text.contains("unable to get local issuer")
            || text.contains("self signed") || text.contains("unknown_ca")
        {
            return "the certificate was not issued by this network's CA"
        }
        if text.contains("expired") { return "the certificate has expired" }
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
            return "the peer's certificate names another node"
        }
        return "the TLS handshake failed"
    }

    /// A handshake `node` refused, as recorded in its journal.
    public static func refusal(node: String, reason: String) -> RenkeiError {
        RenkeiError(
            .certificateProblem,
            "\(node) refused the TLS handshake: \(meaning(reason)). Present a client certificate issued by the CA in the network's certs/ca.crt (renkei certs generate makes them); BoringSSL said: \(reason.excerpt(160))"
        )
    }

    /// A handshake this process could not complete, from the client's side.
    public static func handshake(with target: String, reason: String) -> RenkeiError {
        RenkeiError(
            .certificateProblem,
            "the TLS handshake with \(target) failed: \(meaning(reason)). Use the certificates of the network you talk to (--certs: your certificate and the CA in ca.crt must be those of its renkei up), or run renkei certs generate and restart renkei up; BoringSSL said: \(reason.excerpt(160))"
        )
    }
}
