public import Crypto
import Foundation
public import RenkeiCore

/// One entry of a node's audit log as stored: the event, its position, its leaf hash and
/// the hash chaining it to every entry before it.
public struct AuditEntry: Sendable, Hashable {
    public let sequence: Int
    public let event: AuditEvent
    public let leaf: [UInt8]
    public let chain: [UInt8]

    public init(sequence: Int, event: AuditEvent, leaf: [UInt8], chain: [UInt8]) {
        self.sequence = sequence
        self.event = event
        self.leaf = leaf
        self.chain = chain
    }

    /// The bytes the leaf hash covers: every field, length-prefixed, the position included,
    /// so an entry cannot be moved or have its fields shifted without the hash changing.
    public static func canonicalBytes(sequence: Int, event: AuditEvent) -> [UInt8] {
        var bytes = [UInt8]()
        func field(_ value: [UInt8]) {
            bytes += withUnsafeBytes(of: UInt32(value.count).bigEndian, Array.init)
            bytes += value
        }
        field(Array(String(sequence).utf8))
        field(Array(String(event.at).utf8))
        field(Array(event.kind.rawValue.utf8))
        field(Array((event.actor ?? "").utf8))
        field(Array(event.detail.utf8))
        return bytes
    }

    /// The chain hash of the entry after `previous`: SHA-256(previous chain ‖ leaf hash).
    public static func chain(previous: [UInt8], leaf: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: leaf)
        return Array(hasher.finalize())
    }

    /// The chain value before the first entry.
    public static let genesis = [UInt8](repeating: 0, count: 32)
}

/// A signed tree head: the node vouches that its log had `size` entries with this root.
public struct AuditCheckpoint: Sendable, Hashable {
    public let size: Int
    public let root: [UInt8]
    public let chain: [UInt8]
    public let at: Int64
    public let signature: [UInt8]
    /// The Merkle frontier stored beside the checkpoint (not signed): what start-up rebuilds the
    /// audit head from, so `audit verify` checks it against the log as start-up will.
    public let frontier: [UInt8]?

    public init(size: Int, root: [UInt8], chain: [UInt8], at: Int64, signature: [UInt8], frontier: [UInt8]? = nil) {
        self.size = size
        self.root = root
        self.chain = chain
        self.at = at
        self.signature = signature
        self.frontier = frontier
    }

    /// What the signature covers.
    public static func signedBytes(node: String, size: Int, root: [UInt8], chain: [UInt8], at: Int64) -> [UInt8] {
        SignedCheckpoint(node: node, size: size, root: root, chain: chain, at: at, signature: []).signedText
    }

    /// The checkpoint as it travels to the witness.
    public func signed(by node: String) -> SignedCheckpoint {
        SignedCheckpoint(node: node, size: size, root: root, chain: chain, at: at, signature: signature)
    }

    public static func make(node: String, size: Int, root: [UInt8], chain: [UInt8], at: Int64, key: P256.Signing.PrivateKey) throws -> AuditCheckpoint
    {
        let signature = try key.signature(for: signedBytes(node: node, size: size, root: root, chain: chain, at: at))
        return AuditCheckpoint(size: size, root: root, chain: chain, at: at, signature: Array(signature.derRepresentation))
    }

    public func isSigned(by key: P256.Signing.PublicKey, node: String) -> Bool {
        guard let signature = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
        return key.isValidSignature(signature, for: Self.signedBytes(node: node, size: size, root: root, chain: chain, at: at))
    }
}
