import ArgumentParser
import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiEdge
import RenkeiNodes
import RenkeiPKI
import RenkeiStore

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the tamper-evident audit logs.",
        subcommands: [Verify.self, Proof.self, Export.self]
    )

    /// Exit status when a log does not verify.
    static let tampered = ExitCode(2)

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Verify every node's audit log: each entry's hash, the chain, the signed checkpoints, the checkpoints the time-stamping authority witnessed, and the append-only rows (records, used permits, staff).",
            discussion: """
                Exits 0 when every log verifies; exits 2 and names the node and the first bad entry (or row) when one does not: \
                an entry changed, deleted or reordered; entries cut from the end; a log rewritten with its hashes recomputed (the \
                witnessed root no longer matches); signed checkpoints deleted; a 情報提供等記録, used permit or staff account \
                edited, deleted or inserted outside renkei.
                """
        )

        @OptionGroup var locations: LocationOptions

        @Option(help: "Verify an export made by `renkei audit export` instead of the data directory (its node is named by --node).")
        var export: String?

        @Option(help: "With --export: the node the export is of.")
        var node: String?

        func run() async throws {
            do {
                if let export {
                    guard try Audit.verifyExport(URL(fileURLWithPath: export), node: node, certs: locations.certsURL) else { throw Audit.tampered }
                    return
                }
                let topology = try locations.topology(clock: try locations.clock())
                let check = try await AuditCheck.run(topology: topology, data: locations.dataURL, pki: PKIDirectory(url: locations.certsURL))
                if let problem = check.problem { print(problem) }
                for node in check.nodes { node.lines.forEach { print($0) } }
                let failed = !check.passed
                if failed { throw Audit.tampered }
            } catch let error as RenkeiError {
                throw fail(error)
            }
        }
    }

    struct Proof: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an inclusion proof of one audit entry against the node's latest signed checkpoint, and check it."
        )

        @OptionGroup var locations: LocationOptions
        @Option(help: "The node, e.g. nws or ms-municipal.") var node: String
        @Option(help: "The entry's position in the log, from 0.") var entry: Int

        func run() async throws {
            do {
                let topology = try locations.topology(clock: try locations.clock())
                guard topology.nodes.contains(where: { $0.name == node }) else {
                    throw RenkeiError(.unknownOrganization, "no node \(node) (nodes: \(topology.nodes.map(\.name).joined(separator: ", ")))")
                }
                let key = try PKIDirectory(url: locations.certsURL).keys.publicKey(node, .checkpoint)
                let (entries, checkpoints) = try await NodeFiles.reading(node, topology: topology, in: locations.dataURL) {
                    reader throws(RenkeiError) in
                    (try await reader.auditEntries(), try await reader.auditCheckpoints())
                }
                guard let checkpoint = checkpoints.last else {
                    throw RenkeiError(.invalidRequest, "\(node) has signed no checkpoint yet")
                }
                guard checkpoint.isSigned(by: key, node: node) else {
                    throw RenkeiError(.unauthenticated, "the latest checkpoint of \(node) is not signed by \(node)")
                }
                guard entry >= 0, entry < checkpoint.size, entry < entries.count else {
                    throw RenkeiError(
                        .invalidRequest,
                        "entry \(entry) is not covered by the latest checkpoint of \(node), which covers entries 0 to \(checkpoint.size - 1)")
                }
                let leaves = entries.prefix(checkpoint.size).map(\.leaf)
                let target = entries[entry]
                let leaf = MerkleTree.leafHash(AuditEntry.canonicalBytes(sequence: entry, event: target.event))
                let path = MerkleTree.inclusionProof(index: entry, leaves: leaves[...])
                let verified = MerkleTree.verifyInclusion(leaf: leaf, index: entry, size: checkpoint.size, proof: path, root: checkpoint.root)
                print("node:       \(node)")
                print(
                    "entry:      \(entry) \(target.event.kind.rawValue) at \(JSTTime.iso8601(target.event.at)) by \(target.event.actor ?? "-"): \(target.event.detail)"
                )
                print("leaf hash:  \(hex(leaf))")
                print(
                    "checkpoint: \(checkpoint.size) entries, root \(hex(checkpoint.root)), signed by \(node) at \(JSTTime.iso8601(checkpoint.at))")
                print("proof:      \(path.count) hashes")
                for hash in path { print("  \(hex(hash))") }
                guard verified else {
                    print("NOT VERIFIED: the entry's hash and this path do not lead to the signed root")
                    throw Audit.tampered
                }
                print("verified:   entry \(entry) is in the signed tree of \(checkpoint.size) entries")
            } catch let error as RenkeiError {
                throw fail(error)
            }
        }
    }
}
