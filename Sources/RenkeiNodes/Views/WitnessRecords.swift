import Crypto
public import Foundation
public import RenkeiConfig
public import RenkeiCore
public import RenkeiPKI
public import RenkeiStore
import RenkeiTimeStamp

/// What the time-stamping authority of a data directory witnessed, for `audit verify` and
/// `audit export`: read from the authority's own store (never the node's), and believed stamp by
/// stamp only when each verifies against the CA as RFC 3161 says.
public struct WitnessRecords {
    public let authority: String?
    /// The authority's own store, when there is one.
    public let reader: StoreReader?
    public let authorityPEM: String
    /// Why the logs cannot be checked against their witness, if they cannot.
    public let problem: String?

    public init(topology: Topology, data: URL, pki: PKIDirectory) throws(RenkeiError) {
        guard let pem = try? String(contentsOf: pki.authorityURL, encoding: .utf8) else {
            throw RenkeiError(.invalidConfiguration, "no CA certificate at \(pki.authorityURL.path)")
        }
        authorityPEM = pem
        guard let spec = topology.timeStampAuthority else {
            authority = nil
            reader = nil
            problem = nil
            return
        }
        authority = spec.name
        let url = NodeFiles.store(spec.name, in: data)
        if FileManager.default.fileExists(atPath: url.path) {
            reader = try StoreReader(url: url)
            problem = nil
        } else {
            reader = nil
            problem =
                "\(spec.name): FAILED: the witness's store \(url.path) is missing, so no log can be checked against what it stamped (start renkei up once to make it, or restore it)"
        }
    }

    /// The checkpoints stamped for `node`, each verified; nil when there is no witness.
    public func checkpoints(of node: String, role: NodeRole) throws(RenkeiError) -> AuditVerifier.Witness? {
        guard let authority, let reader, role != .timeStampAuthority else { return nil }
        let stamps = try reader.stamps(for: node)
        for stamp in stamps {
            do throws(RenkeiError) {
                _ = try TimeStampResponse.verify(stamp.response, data: stamp.checkpoint.signedText, authorityPEM: authorityPEM)
            } catch {
                throw RenkeiError(
                    .timeStampInvalid, "the stamp serial \(stamp.serial) that \(authority) keeps for \(node) does not verify: \(error.message)")
            }
        }
        return AuditVerifier.Witness(authority: authority, checkpoints: stamps)
    }

    /// The stamps the node keeps of its own checkpoints: each must verify over the checkpoint
    /// of its size. Returns the first problem.
    public func checkOwnStamps(_ reader: any AuditSource, node: String) async throws(RenkeiError) -> String? {
        let checkpoints = Dictionary(try await reader.auditCheckpoints().map { ($0.size, $0) }, uniquingKeysWith: { _, last in last })
        for stamp in try await reader.ownStamps() {
            guard let checkpoint = checkpoints[stamp.size] else {
                return
                    "the node keeps a stamp (serial \(stamp.serial)) of a checkpoint at \(stamp.size) entries that is no longer in its file (deleted)"
            }
            do throws(RenkeiError) {
                _ = try TimeStampResponse.verify(stamp.response, data: checkpoint.signed(by: node).signedText, authorityPEM: authorityPEM)
            } catch {
                return
                    "the stamp (serial \(stamp.serial)) the node keeps does not verify over its checkpoint at \(stamp.size) entries: \(error.message)"
            }
        }
        return nil
    }
}

/// `renkei audit verify` on a data directory: every node's log, chain, checkpoints, witness and
/// append-only rows. The console's audit page shows the same lines.
public struct AuditCheck: Sendable {
    public struct NodeResult: Sendable, Hashable {
        public let node: String
        public let passed: Bool
        /// What `renkei audit verify` prints for the node.
        public let lines: [String]
    }

    /// Why nothing could be checked against the witness, if so (a failure of its own).
    public let problem: String?
    public let nodes: [NodeResult]

    public var passed: Bool { problem == nil && nodes.allSatisfy(\.passed) }

    public static func run(topology: Topology, data: URL, pki: PKIDirectory) async throws(RenkeiError) -> AuditCheck {
        let witness = try WitnessRecords(topology: topology, data: data, pki: pki)
        var results = [NodeResult]()
        for node in topology.nodes {
            let key = try pki.keys.publicKey(node.name, .checkpoint)
            results.append(
                try await NodeFiles.reading(node.name, topology: topology, in: data) { reader throws(RenkeiError) in
                    try await check(node.name, role: node.role, reader: reader, key: key, witness: witness)
                })
        }
        return AuditCheck(problem: witness.problem, nodes: results)
    }

    private static func check(
        _ node: String, role: NodeRole, reader: any AuditSource, key: P256.Signing.PublicKey, witness: WitnessRecords
    ) async throws(RenkeiError) -> NodeResult {
        let stamps: AuditVerifier.Witness?
        do throws(RenkeiError) { stamps = try witness.checkpoints(of: node, role: role) } catch {
            return NodeResult(node: node, passed: false, lines: ["\(node): FAILED: \(error.message)"])
        }
        switch try await reader.verifyAudit(with: AuditVerifier(node: node, key: key, witness: stamps)) {
        case let .success(report):
            var lines = ["\(node): \(summary(report, witness: stamps))"]
            lines += report.acceptedGaps.map { "  accepted gap: \($0)" }
            if let problem = try await witness.checkOwnStamps(reader, node: node) {
                lines.append("\(node): FAILED: \(problem)")
                return NodeResult(node: node, passed: false, lines: lines)
            }
            return NodeResult(node: node, passed: true, lines: lines)
        case let .failure(failure):
            return NodeResult(
                node: node, passed: false, lines: ["\(node): FAILED at \(failure.entry.map { "entry \($0)" } ?? "a row"): \(failure.reason)"])
        }
    }

    public static func summary(_ report: AuditVerifier.Report, witness: AuditVerifier.Witness?) -> String {
        var parts = ["\(report.entries) entries verified", "\(report.checkpoints) signed checkpoints"]
        if let witness {
            let newest = witness.checkpoints.max { $0.serial < $1.serial }
            parts.append(
                "\(report.witnessed) witnessed by \(witness.authority)"
                    + (newest.map { " (newest: \($0.checkpoint.size) entries at \(JSTTime.iso8601($0.stampedAt)))" } ?? ""))
        }
        parts.append("\(report.records) records, \(report.permits) used permits, \(report.staff) staff accounts in the chain")
        return parts.joined(separator: ", ")
    }
}
