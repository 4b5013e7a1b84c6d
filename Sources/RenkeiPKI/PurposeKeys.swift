public import Crypto
public import Foundation
public import RenkeiCore

/// What a node's keys other than its TLS key are for. Each purpose has its own key, so a
/// certificate renewal (a new TLS key) leaves stored 符号, signed checkpoints and permits alone.
public enum KeyPurpose: String, Sendable, CaseIterable, Codable {
    /// Signs the node's audit checkpoints (every node).
    case checkpoint
    /// Signs 情報提供許可証 (network system) and agrees their MAC keys (network system and 中間サーバー).
    case permit
    /// The network system's secret that 符号 are made and opened with.
    case linkCode = "link-code"
    /// Signs RFC 3161 time-stamp tokens (the time-stamping authority), under its own certificate.
    case stamping
    /// A tenant's (機関's) key for the 副本 sealed to and from it: held by its 中間サーバー,
    /// never by the network system. The holder is the 機関's id.
    case content

    /// The purposes a holder of `role` has keys for.
    public static func needed(by role: NodeRole) -> [KeyPurpose] {
        switch role {
        case .networkSystem: [.checkpoint, .permit, .linkCode]
        case .intermediateServer: [.checkpoint, .permit]
        case .addressSystem, .residentRegistry: [.checkpoint]
        case .timeStampAuthority: [.checkpoint, .stamping]
        case .businessSystem, .admin, .tenantAdmin, .trainer: []
        }
    }

    var isSecret: Bool { self == .linkCode }
}

/// The purpose keys on disk, in `CERTS/keys/`: `NAME.PURPOSE.key` (the private key, 0600),
/// `NAME.PURPOSE.pub` (its public half, for verifiers) and `manifest.json`, the list of every
/// key ever made here. A key the manifest lists is never made again: when its file is missing
/// or unreadable that is an error naming the file, because a new key would silently break what
/// the old one made (every stored 符号, every signed checkpoint).
public struct PurposeKeys: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    struct Manifest: Codable {
        var keys: [String] = []
    }

    /// The file of a holder's key for a purpose.
    public func file(_ holder: String, _ purpose: KeyPurpose, public isPublic: Bool = false) -> URL {
        url.appendingPathComponent("\(holder.replacingOccurrences(of: "/", with: "_")).\(purpose.rawValue).\(isPublic ? "pub" : "key")")
    }

    var manifestURL: URL { url.appendingPathComponent("manifest.json") }

    /// Whether keys were ever made here.
    public var hasManifest: Bool { FileManager.default.fileExists(atPath: manifestURL.path) }

    /// Makes every key in `needs` that was never made. On a PKI from before purpose keys (no
    /// manifest yet, the holder's TLS key on disk), the checkpoint key and the 符号 secret start
    /// as copies of the TLS key, which is what signed the checkpoints and made the 符号 so far.
    /// Returns the keys made, as `NAME.PURPOSE`.
    @discardableResult
    func ensure(_ needs: [(holder: String, purpose: KeyPurpose)], legacyKey: (String) -> P256.Signing.PrivateKey?) throws(RenkeiError) -> [String] {
        try PrivateFiles.directory(url)
        let fresh = !hasManifest
        var manifest = try readManifest() ?? Manifest()
        var made = [String]()
        for need in needs {
            let label = "\(need.holder).\(need.purpose.rawValue)"
            if manifest.keys.contains(label) {
                // Read it, so that a lost or damaged key is named now rather than at first use.
                if need.purpose.isSecret { _ = try secret(need.holder, need.purpose) } else { _ = try signingKey(need.holder, need.purpose) }
                continue
            }
            let inherited = fresh && [.checkpoint, .linkCode].contains(need.purpose) ? legacyKey(need.holder) : nil
            if need.purpose.isSecret {
                let bytes = inherited.map { Array($0.rawRepresentation) } ?? SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
                try PrivateFiles.save(
                    Array(Self.armor(bytes, "RENKEI \(need.purpose.rawValue.uppercased()) SECRET").utf8), to: file(need.holder, need.purpose))
            } else {
                let key = inherited ?? P256.Signing.PrivateKey()
                try PrivateFiles.save(Array(key.pemRepresentation.utf8), to: file(need.holder, need.purpose))
                try PrivateFiles.save(Array(key.publicKey.pemRepresentation.utf8), to: file(need.holder, need.purpose, public: true), mode: 0o644)
            }
            manifest.keys.append(label)
            made.append(label)
            try writeManifest(manifest)
        }
        return made
    }

    /// A holder's private key for a signing purpose.
    public func signingKey(_ holder: String, _ purpose: KeyPurpose) throws(RenkeiError) -> P256.Signing.PrivateKey {
        let pem = try text(of: file(holder, purpose), holder: holder, purpose: purpose)
        do { return try P256.Signing.PrivateKey(pemRepresentation: pem) } catch {
            throw unreadable(file(holder, purpose), purpose, "it is not a P-256 private key in PEM")
        }
    }

    /// A holder's public key for a signing purpose: what a verifier needs.
    public func publicKey(_ holder: String, _ purpose: KeyPurpose) throws(RenkeiError) -> P256.Signing.PublicKey {
        let location = file(holder, purpose, public: true)
        let pem = try text(of: location, holder: holder, purpose: purpose)
        do { return try P256.Signing.PublicKey(pemRepresentation: pem) } catch {
            throw unreadable(location, purpose, "it is not a P-256 public key in PEM")
        }
    }

    /// A holder's secret for a secret purpose (the 符号 secret).
    public func secret(_ holder: String, _ purpose: KeyPurpose) throws(RenkeiError) -> SymmetricKey {
        let location = file(holder, purpose)
        let armored = try text(of: location, holder: holder, purpose: purpose)
        let body = armored.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
        guard let bytes = Data(base64Encoded: body), bytes.count >= 32 else {
            throw unreadable(location, purpose, "it does not hold a secret of at least 32 bytes")
        }
        return SymmetricKey(data: bytes)
    }

    private func text(of location: URL, holder: String, purpose: KeyPurpose) throws(RenkeiError) -> String {
        guard FileManager.default.fileExists(atPath: location.path) else {
            throw RenkeiError(
                .keyMissing,
                "the \(purpose.rawValue) key of \(holder) is missing: \(location.path). It was made here once (keys/manifest.json lists it) and is not made again, because a new key would break what the old one made (\(purpose.whatBreaks)). Restore the file from a backup of \(url.path)"
            )
        }
        guard let text = try? String(contentsOf: location, encoding: .utf8) else {
            throw unreadable(location, purpose, "it cannot be read as text (check its owner and mode 0600)")
        }
        return text
    }

    private func unreadable(_ location: URL, _ purpose: KeyPurpose, _ why: String) -> RenkeiError {
        RenkeiError(
            .keyMissing,
            "the \(purpose.rawValue) key at \(location.path) is unreadable: \(why). Restore it from a backup; it is not replaced by a new key")
    }

    private func readManifest() throws(RenkeiError) -> Manifest? {
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else { return nil }
        do { return try JSONDecoder().decode(Manifest.self, from: data) } catch {
            throw RenkeiError(.keyMissing, "\(manifestURL.path) is damaged (\(error)); restore it from a backup of \(url.path)")
        }
    }

    private func writeManifest(_ manifest: Manifest) throws(RenkeiError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(manifest) else { throw RenkeiError(.internalError, "the key manifest does not encode") }
        try PrivateFiles.save(Array(data), to: manifestURL, mode: 0o644)
    }

    static func armor(_ bytes: [UInt8], _ label: String) -> String {
        let body = Data(bytes).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----\n"
    }
}

extension KeyPurpose {
    var whatBreaks: String {
        switch self {
        case .checkpoint: "every checkpoint it signed would fail to verify"
        case .permit: "permits in flight would be refused"
        case .linkCode: "every stored 符号 would stop opening, and the person view would find no one"
        case .stamping: "time-stamps it signed still verify with their certificate, but the authority's identity would change"
        case .content: "副本 sealed to it in flight would not open"
        }
    }
}
