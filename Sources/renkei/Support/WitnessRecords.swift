import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI
import RenkeiStore
import RenkeiTimeStamp

/// What the time-stamping authority of a data directory witnessed, for `audit verify` and
/// `audit export`: read from the authority's own store (never the node's), and believed stamp by
/// stamp only when each verifies against the CA as RFC 3161 says.
struct WitnessRecords {
    let authority: String?
    let reader: StoreReader?
    let authorityPEM: String
    /// Why the logs cannot be checked against their witness, if they cannot.
    let problem: String?

    init(topology: Topology, data: URL, pki: PKIDirectory) throws(RenkeiError) {
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
    func checkpoints(of node: String, role: NodeRole) throws(RenkeiError) -> AuditVerifier.Witness? {
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
    func checkOwnStamps(_ reader: StoreReader, node: String) throws(RenkeiError) -> String? {
        let checkpoints = Dictionary(try reader.auditCheckpoints().map { ($0.size, $0) }, uniquingKeysWith: { _, last in last })
        for stamp in try reader.ownStamps() {
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
