public import Crypto
public import Foundation
import RenkeiConfig
public import RenkeiCore
public import RenkeiWire

/// 情報提供許可証: issued by the network system after the 別表第二 check, bound to one
/// inquiry, short-lived and single-use. The claims travel as the exact bytes protected.
/// Public so that the micro-benchmarks (Benchmarks/) can measure sealing and checking.
public enum Permit {
    public static let maximumClaimsBytes = 2_048

    /// How the network system protects the permits it sends to one 中間サーバー.
    public enum Seal: Sendable {
        case signature(P256.Signing.PrivateKey)
        case mac(SymmetricKey)
    }

    /// How a 中間サーバー checks the permits it receives.
    public enum Check: Sendable {
        case signature(P256.Signing.PublicKey)
        case mac(SymmetricKey)
    }

    public static func issue(_ claims: PermitClaims, sealedWith seal: Seal) throws(RenkeiError) -> SealedPermit {
        do {
            let bytes = try claims.encoded()
            var permit = SealedPermit()
            permit.claims = bytes
            switch seal {
            case let .signature(key): permit.signature = try key.signature(for: bytes).derRepresentation
            case let .mac(key): permit.mac = Data(HMAC<SHA256>.authenticationCode(for: bytes, using: key))
            }
            return permit
        } catch {
            throw RenkeiError(.internalError, "cannot seal a permit: \(error)")
        }
    }

    /// Checks the seal and the expiry and returns the claims. Binding to the request and
    /// single use are the provider's to check.
    public static func verify(_ permit: SealedPermit, with check: Check, now: Int64) throws(RenkeiError) -> PermitClaims {
        guard !permit.claims.isEmpty, permit.claims.count <= maximumClaimsBytes else {
            throw RenkeiError(.permitInvalid, "the 情報提供許可証 is missing or oversized")
        }
        switch check {
        case let .signature(key):
            guard let signature = try? P256.Signing.ECDSASignature(derRepresentation: permit.signature),
                key.isValidSignature(signature, for: permit.claims)
            else {
                throw RenkeiError(
                    .permitInvalid,
                    "the 情報提供許可証 is not signed by the network system (tampered, forged, or sealed with a MAC where this 中間サーバー expects a signature)")
            }
        case let .mac(key):
            guard HMAC<SHA256>.isValidAuthenticationCode(permit.mac, authenticating: permit.claims, using: key) else {
                throw RenkeiError(
                    .permitInvalid,
                    "the 情報提供許可証 does not carry the network system's MAC for this 中間サーバー (tampered, forged, or signed where this 中間サーバー expects a MAC)"
                )
            }
        }
        let claims: PermitClaims
        do throws(RenkeiError) { claims = try PermitClaims(encoded: permit.claims) } catch {
            throw RenkeiError(.permitInvalid, "the 情報提供許可証 claims do not decode: \(error.message)")
        }
        guard claims.permitID.count == 16 else { throw RenkeiError(.permitInvalid, "the 情報提供許可証 has no valid id") }
        guard now <= claims.expiresAtMicros else {
            let late = Double(now - claims.expiresAtMicros) / 1_000_000
            throw RenkeiError(.permitExpired, "the 情報提供許可証 for \(claims.receptionNumber) expired \(String(format: "%.3f", late)) s ago")
        }
        return claims
    }

    /// The MAC key of the network system and one 中間サーバー: ECDH of one side's private key
    /// with the other's certified public key, through HKDF bound to both names, so each pair
    /// has its own key and neither a third node nor another pair can make a valid tag.
    public static func macKey(
        own: P256.Signing.PrivateKey, peer: P256.Signing.PublicKey, networkSystem: String, intermediateServer: String
    ) throws(RenkeiError) -> SymmetricKey {
        do {
            let agreement = try P256.KeyAgreement.PrivateKey(rawRepresentation: own.rawRepresentation)
            let peerKey = try P256.KeyAgreement.PublicKey(rawRepresentation: peer.rawRepresentation)
            let secret = try agreement.sharedSecretFromKeyAgreement(with: peerKey)
            return secret.hkdfDerivedSymmetricKey(
                using: SHA256.self, salt: Data("renkei 情報提供許可証 v1".utf8), sharedInfo: Data("\(networkSystem)|\(intermediateServer)".utf8),
                outputByteCount: 32
            )
        } catch {
            throw RenkeiError(.internalError, "cannot agree the permit key of \(networkSystem) and \(intermediateServer): \(error)")
        }
    }
}
