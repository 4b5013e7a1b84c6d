import Crypto
import Foundation
import RenkeiCore
import RenkeiWire

/// 情報提供許可証: signed by the network system after the 別表第二 check, bound to one
/// inquiry, short-lived and single-use. The claims travel as the exact bytes signed.
enum Permit {
    static let maximumClaimsBytes = 2_048

    static func issue(_ claims: Renkei_V1_PermitClaims, signingKey: P256.Signing.PrivateKey) throws(RenkeiError) -> Renkei_V1_Permit {
        do {
            let bytes: [UInt8] = try claims.serializedBytes()
            let signature = try signingKey.signature(for: bytes)
            var permit = Renkei_V1_Permit()
            permit.claims = Data(bytes)
            permit.signature = signature.derRepresentation
            return permit
        } catch {
            throw RenkeiError(.internalError, "cannot sign a permit: \(error)")
        }
    }

    /// Checks the signature and the expiry and returns the claims. Binding to the request and
    /// single use are the provider's to check.
    static func verify(_ permit: Renkei_V1_Permit, with key: P256.Signing.PublicKey, now: Int64) throws(RenkeiError) -> Renkei_V1_PermitClaims {
        guard !permit.claims.isEmpty, permit.claims.count <= maximumClaimsBytes else {
            throw RenkeiError(.permitInvalid, "the 情報提供許可証 is missing or oversized")
        }
        guard let signature = try? P256.Signing.ECDSASignature(derRepresentation: permit.signature),
              key.isValidSignature(signature, for: permit.claims)
        else {
            throw RenkeiError(.permitInvalid, "the 情報提供許可証 is not signed by the network system (tampered or forged)")
        }
        let claims: Renkei_V1_PermitClaims
        do { claims = try Renkei_V1_PermitClaims(serializedBytes: permit.claims) } catch {
            throw RenkeiError(.permitInvalid, "the 情報提供許可証 claims do not decode: \(error)")
        }
        guard claims.permitID.count == 16 else { throw RenkeiError(.permitInvalid, "the 情報提供許可証 has no valid id") }
        guard now <= claims.expiresAtMicros else {
            let late = Double(now - claims.expiresAtMicros) / 1_000_000
            throw RenkeiError(.permitExpired, "the 情報提供許可証 for \(claims.receptionNumber) expired \(String(format: "%.3f", late)) s ago")
        }
        return claims
    }
}
