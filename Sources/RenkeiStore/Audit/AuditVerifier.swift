public import Crypto
import Foundation
public import RenkeiCore

/// Checks a node's audit log: every leaf hash, every chain link, every checkpoint's root and
/// signature; the checkpoints its witness stamped (the log must still hold them, unchanged);
/// and the append-only rows, each against the entry that carries its digest. Names the first
/// entry (or row) that does not hold.
public struct AuditVerifier: Sendable {
    public struct Report: Sendable, Equatable {
        public let entries: Int
        public let checkpoints: Int
        /// Checkpoints the witness stamped that the log still extends.
        public var witnessed = 0
        /// Rows checked against their entries.
        public var records = 0
        public var permits = 0
        public var staff = 0
        /// Witnessed checkpoints an operator set aside with --accept-audit-gap, one sentence each.
        public var acceptedGaps: [String] = []
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The first entry that does not verify (or the first one missing); nil for a row that
        /// has no entry at all.
        public let entry: Int?
        public let reason: String
        public var description: String { entry.map { "entry \($0): \(reason)" } ?? reason }
    }

    /// The checkpoints a time-stamping authority stamped for this node, already checked to be
    /// its genuine stamps (RFC 3161, against the CA), oldest first.
    public struct Witness: Sendable {
        public let authority: String
        public let checkpoints: [WitnessedCheckpoint]

        public init(authority: String, checkpoints: [WitnessedCheckpoint]) {
            self.authority = authority
            self.checkpoints = checkpoints
        }
    }

    let node: String
    let key: P256.Signing.PublicKey
    let witness: Witness?

    public init(node: String, key: P256.Signing.PublicKey, witness: Witness? = nil) {
        self.node = node
        self.key = key
        self.witness = witness
    }

    /// Verifies `entries` (in stored order) against `checkpoints`, the witness and `rows` (nil:
    /// the rows are not at hand, as in an export of the log alone).
    public func verify(_ entries: [AuditEntry], checkpoints: [AuditCheckpoint], rows: AppendOnlyRows? = nil) throws(Failure) -> Report {
        let checkpoints = checkpoints.sorted { $0.size < $1.size }
        var pending = checkpoints[...]
        let setAside = Self.acceptedGapSerials(entries)
        var acceptedGaps = [String]()
        var witnessed = [WitnessedCheckpoint]()
        for stamp in (witness?.checkpoints ?? []).sorted(by: { $0.serial < $1.serial }) {
            if let gap = setAside.first(where: { stamp.serial <= $0.serial }) {
                acceptedGaps.append(
                    "the checkpoint at \(stamp.checkpoint.size) entries stamped at \(JSTTime.iso8601(stamp.stampedAt)) (serial \(stamp.serial)) was set aside at entry \(gap.entry) with --accept-audit-gap"
                )
            } else {
                witnessed.append(stamp)
            }
        }
        let ownSizes = Set(checkpoints.map(\.size))
        if let witness, let missing = witnessed.first(where: { !ownSizes.contains($0.checkpoint.size) }), missing.checkpoint.size <= entries.count {
            throw Failure(
                entry: missing.checkpoint.size - 1,
                reason:
                    "the signed checkpoint at \(missing.checkpoint.size) entries, which \(witness.authority) stamped at \(JSTTime.iso8601(missing.stampedAt)) (serial \(missing.serial)), is missing from the node's file (deleted)"
            )
        }
        var witnessPending = witnessed.sorted { $0.checkpoint.size < $1.checkpoint.size }[...]
        var lastWitnessedSize = 0
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
            while let stamp = witnessPending.first, stamp.checkpoint.size == expected {
                witnessPending = witnessPending.dropFirst()
                guard stamp.checkpoint.root == frontier.root, stamp.checkpoint.chain == chain else {
                    throw Failure(
                        entry: lastWitnessedSize,
                        reason:
                            "entries \(lastWitnessedSize) to \(expected - 1) do not match the checkpoint \(witness?.authority ?? "the witness") stamped at \(JSTTime.iso8601(stamp.stampedAt)) (serial \(stamp.serial), \(expected) entries): the log was rewritten in that range and its hashes recomputed"
                    )
                }
                lastWitnessedSize = expected
            }
        }
        if let uncovered = pending.first {
            throw Failure(
                entry: expected,
                reason:
                    "the log ends at entry \(expected - 1) but a signed checkpoint covers \(uncovered.size) entries (entries were removed from the end)"
            )
        }
        if let stamp = witnessPending.last {
            throw Failure(
                entry: expected,
                reason:
                    "the log ends at entry \(expected - 1) but \(witness?.authority ?? "the witness") stamped a checkpoint of \(stamp.checkpoint.size) entries at \(JSTTime.iso8601(stamp.stampedAt)) (serial \(stamp.serial)): entries were cut from the end"
            )
        }
        var report = Report(entries: expected, checkpoints: checkpoints.count)
        report.witnessed = witnessed.count
        report.acceptedGaps = acceptedGaps
        if let rows {
            let counts = try rows.check(against: entries)
            report.records = counts.records
            report.permits = counts.permits
            report.staff = counts.staff
        }
        return report
    }

    /// The serials of witnessed checkpoints an operator set aside, from the log's own entries.
    static func acceptedGapSerials(_ entries: [AuditEntry]) -> [(entry: Int, serial: UInt64)] {
        entries.compactMap { entry in
            guard entry.event.kind == .auditGapAccepted, let serial = RowEntryDetail.parse(entry.event.detail)["serial"].flatMap(UInt64.init)
            else { return nil }
            return (entry.sequence, serial)
        }
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
