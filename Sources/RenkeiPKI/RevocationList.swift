public import Crypto
public import Foundation
public import RenkeiCore
public import X509

/// The development CA's list of revoked certificates (`certs/revoked.json`): the renkei
/// equivalent of a CRL. Each entry names a certificate by its serial number; the whole list is
/// signed with the CA's key, so a node trusts only a list the CA made. `renkei certs revoke`
/// writes it; every node re-reads it when it changes and checks it at every handshake and,
/// once a second, on every open connection.
public struct RevocationList: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable {
        /// The certificate's serial number, hex.
        public let serial: String
        /// The holder it was issued to (for people reading the file).
        public let name: String
        public let revokedAt: String
        public let reason: String
    }

    public var entries: [Entry]
    /// ECDSA P-256 by the CA over the entries (base64 of the DER signature).
    public var signature: String

    public static let fileName = "revoked.json"

    public var serials: Set<String> { Set(entries.map(\.serial)) }

    /// The bytes the signature covers: each entry on its own line, in order.
    static func signedBytes(_ entries: [Entry]) -> Data {
        Data(entries.map { "\($0.serial)\t\($0.name)\t\($0.revokedAt)\t\($0.reason)\n" }.joined().utf8)
    }

    static func signed(_ entries: [Entry], by key: P256.Signing.PrivateKey) throws -> RevocationList {
        let signature = try key.signature(for: signedBytes(entries))
        return RevocationList(entries: entries, signature: signature.derRepresentation.base64EncodedString())
    }

    /// Reads and verifies a list; fails closed on one that does not parse or verify.
    static func read(_ url: URL, authority: P256.Signing.PublicKey) throws(RenkeiError) -> RevocationList? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let list: RevocationList
        do { list = try JSONDecoder().decode(RevocationList.self, from: data) } catch {
            throw RenkeiError(.unauthenticated, "the revocation list \(url.path) does not parse: \(error); regenerate it with renkei certs revoke")
        }
        guard let signature = Data(base64Encoded: list.signature).flatMap({ try? P256.Signing.ECDSASignature(derRepresentation: $0) }),
            authority.isValidSignature(signature, for: signedBytes(list.entries))
        else {
            throw RenkeiError(
                .unauthenticated, "the revocation list \(url.path) is not signed by the development CA; every handshake is refused until it is")
        }
        return list
    }
}

extension Certificate {
    /// The serial number as the revocation list writes it.
    public var serialHex: String { hex(serialNumber.bytes) }
}

extension PKIDirectory {
    /// Revokes `name`'s certificate: adds it to the CA-signed revocation list. Running nodes
    /// refuse it at the next handshake and close the connections it holds within a second.
    @discardableResult
    public func revoke(_ name: String, reason: String, now: Date = Date()) throws(RenkeiError) -> RevocationList.Entry {
        let certificate = try certificate(for: name)
        let authority = try load("ca")
        let url = url.appendingPathComponent(RevocationList.fileName)
        var entries = try RevocationList.read(url, authority: authority.privateKey.publicKey)?.entries ?? []
        if let existing = entries.first(where: { $0.serial == certificate.serialHex }) { return existing }
        let entry = RevocationList.Entry(
            serial: certificate.serialHex, name: name, revokedAt: JSTTime.iso8601(Int64(now.timeIntervalSince1970 * 1_000_000)), reason: reason)
        entries.append(entry)
        let list: RevocationList
        do { list = try RevocationList.signed(entries, by: authority.privateKey) } catch {
            throw RenkeiError(.internalError, "cannot sign the revocation list: \(error)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do { try PrivateFiles.save(Array(try encoder.encode(list)), to: url, mode: 0o644) } catch let error as RenkeiError { throw error } catch {
            throw RenkeiError(.internalError, "cannot write \(url.path): \(error)")
        }
        return entry
    }

    /// The revocation list as it stands (empty when nothing was revoked).
    public func revocations() throws(RenkeiError) -> [RevocationList.Entry] {
        let authority = try loadCertificate("ca")
        guard let key = P256.Signing.PublicKey(authority.publicKey) else {
            throw RenkeiError(.unauthenticated, "the development CA's key is not P-256")
        }
        return try RevocationList.read(url.appendingPathComponent(RevocationList.fileName), authority: key)?.entries ?? []
    }
}
