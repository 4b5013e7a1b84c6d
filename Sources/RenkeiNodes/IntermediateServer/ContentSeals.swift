public import Crypto
public import Foundation
public import RenkeiCore
import Synchronization

/// The 副本 of an answer sealed by the provider's tenant for the inquirer's (AES-GCM under a
/// key the two tenants agree by ECDH of their content keys, bound to both 機関コード), so that
/// the network system, which relays them, cannot read them. The associated data binds the
/// ciphertext to its exchange: a sealed answer moved to another inquiry does not open.
///
/// A pair key is agreed the first time the pair exchanges and kept (an ECDH and an HKDF);
/// sealing an answer is then one AES-GCM pass over its bytes. Agreeing them all at start would
/// cost every tenant one ECDH per other tenant: 3,400 tenants in the national topology make
/// that 11 million.
public struct ContentSeals: Sendable {
    let organization: OrganizationCode
    private let agreement: P256.KeyAgreement.PrivateKey
    private let peers: [OrganizationCode: P256.Signing.PublicKey]
    private let agreed = AgreedKeys()

    /// `own`: this tenant's content key; `peers`: every tenant's public content key.
    public init(
        organization: OrganizationCode, own: P256.Signing.PrivateKey, peers: [OrganizationCode: P256.Signing.PublicKey]
    ) throws(RenkeiError) {
        self.organization = organization
        self.peers = peers
        do { agreement = try P256.KeyAgreement.PrivateKey(rawRepresentation: own.rawRepresentation) } catch {
            throw RenkeiError(.internalError, "cannot use the content key of \(organization): \(error)")
        }
    }

    /// The key shared with `peer`, agreed on first use; nil for a 機関 that is not a tenant.
    func key(with peer: OrganizationCode) throws(RenkeiError) -> SymmetricKey? {
        if let known = agreed.keys.withLock({ $0[peer] }) { return known }
        guard let peerKey = peers[peer] else { return nil }
        do {
            let secret = try agreement.sharedSecretFromKeyAgreement(
                with: try P256.KeyAgreement.PublicKey(rawRepresentation: peerKey.rawRepresentation))
            // The pair in a fixed order, so both ends derive the same key.
            let pair = [organization.rawValue, peer.rawValue].sorted().joined(separator: "|")
            let key = secret.hkdfDerivedSymmetricKey(
                using: SHA256.self, salt: Data("renkei 副本 v1".utf8), sharedInfo: Data(pair.utf8), outputByteCount: 32)
            agreed.keys.withLock { $0[peer] = key }
            return key
        } catch {
            throw RenkeiError(.internalError, "cannot agree the content key of \(organization) with \(peer): \(error)")
        }
    }

    /// The pair keys agreed so far, shared by the copies of one ContentSeals.
    private final class AgreedKeys: Sendable {
        let keys = Mutex<[OrganizationCode: SymmetricKey]>([:])
    }

    static func context(reception: String, provider: OrganizationCode, inquirer: OrganizationCode) -> Data {
        Data("renkei 副本 v1|\(reception)|\(provider.rawValue)|\(inquirer.rawValue)".utf8)
    }

    /// Seals `bytes` (a RecordSet) from this tenant, the provider, for `inquirer`.
    public func seal(_ bytes: Data, for inquirer: OrganizationCode, reception: String) throws(RenkeiError) -> Data {
        guard let key = try key(with: inquirer) else {
            throw RenkeiError(.unknownOrganization, "\(organization) has no content key agreed with \(inquirer): it is not a tenant of this network")
        }
        do {
            let box = try AES.GCM.seal(
                bytes, using: key, authenticating: Self.context(reception: reception, provider: organization, inquirer: inquirer))
            guard let combined = box.combined else { throw RenkeiError(.internalError, "AES-GCM made no combined box") }
            return combined
        } catch let error as RenkeiError {
            throw error
        } catch {
            throw RenkeiError(.internalError, "cannot seal the 副本 for \(inquirer): \(error)")
        }
    }

    /// Opens what `provider` sealed for this tenant, the inquirer; MALFORMED_MESSAGE when it was
    /// sealed for another tenant or exchange, or changed on the way.
    public func open(_ bytes: Data, from provider: OrganizationCode, reception: String) throws(RenkeiError) -> Data {
        guard let key = try key(with: provider) else {
            throw RenkeiError(.unknownOrganization, "\(organization) has no content key agreed with \(provider): it is not a tenant of this network")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: bytes)
            return try AES.GCM.open(box, using: key, authenticating: Self.context(reception: reception, provider: provider, inquirer: organization))
        } catch {
            throw RenkeiError(
                .malformedMessage,
                "the 副本 \(provider) sealed for \(reception) do not open for \(organization): sealed for another tenant or exchange, or changed on the way"
            )
        }
    }
}
