public import Crypto
import Foundation
import RenkeiCore

/// Checks a node's audit log: every leaf hash, every chain link, every checkpoint's root
/// and signature. Names the first entry that does not hold.
public struct AuditVerifier: Sendable {
    public struct Report: Sendable, Equatable {
        public let entries: Int
        public let checkpoints: Int
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The first entry that does not verify (or the first one missing).
        public let entry: Int
        public let reason: String
        public var description: String { "entry \(entry): \(reason)" }
    }

    let node: String
    let key: P256.Signing.PublicKey

    public init(node: String, key: P256.Signing.PublicKey) {
        self.node = node
        self.key = key
    }

    /// Verifies `entries` (in stored order) against `checkpoints`.
    public func verify<Entries: Sequence>(_ entries: Entries, checkpoints: [AuditCheckpoint]) throws(Failure) -> Report
    where Entries.Element == AuditEntry {
        let checkpoints = checkpoints.sorted { $0.size < $1.size }
        var pending = checkpoints[...]
        var frontier = MerkleTree.Frontier()
        var chain = AuditEntry.genesis
        var expected = 0
        for entry in entries {
            guard entry.sequence == expected else {
                if entry.sequence > expected {
                    throw Failure(entry: expected, reason: "missing: the log jumps from entry \(expected - 1) to \(entry.sequence) (deleted)")
                }
                throw Failure(entry: entry.sequence, reason: "appears again after entry \(expected - 1) (reordered or duplicated)")
            }
            let leaf = MerkleTree.leafHash(AuditEntry.canonicalBytes(sequence: entry.sequence, event: entry.event))
            guard leaf == entry.leaf else {
                throw Failure(entry: entry.sequence, reason: "its content does not match its hash (changed, or moved from another position)")
            }
            chain = AuditEntry.chain(previous: chain, leaf: leaf)
            guard chain == entry.chain else {
                throw Failure(
                    entry: entry.sequence, reason: "it does not chain to the entry before it (an entry before it was removed, changed or reordered)")
            }
            frontier.append(leaf)
            expected += 1
            while let checkpoint = pending.first, checkpoint.size == expected {
                pending = pending.dropFirst()
                try check(checkpoint, root: frontier.root, chain: chain)
            }
        }
        if let uncovered = pending.first {
            throw Failure(
                entry: expected,
                reason:
                    "the log ends at entry \(expected - 1) but a signed checkpoint covers \(uncovered.size) entries (entries were removed from the end)"
            )
        }
        return Report(entries: expected, checkpoints: checkpoints.count)
    }

    private func check(_ checkpoint: AuditCheckpoint, root: [UInt8], chain: [UInt8]) throws(Failure) {
        guard checkpoint.isSigned(by: key, node: node) else {
            throw Failure(entry: checkpoint.size - 1, reason: "the checkpoint at \(checkpoint.size) entries is not signed by \(node)")
        }
        guard checkpoint.root == root, checkpoint.chain == chain else {
            throw Failure(
                entry: checkpoint.size - 1,
                reason: "the entries up to here do not match the signed checkpoint at \(checkpoint.size) entries (the log was rewritten)")
        }
        if let bytes = checkpoint.frontier {
            guard let stored = MerkleTree.Frontier(serialized: bytes), stored.size == checkpoint.size, stored.root == root else {
                throw Failure(
                    entry: checkpoint.size - 1,
                    reason:
                        "the Merkle frontier stored with the checkpoint at \(checkpoint.size) entries does not match the log (the node would refuse to start on it)"
                )
            }
        }
    }
}
