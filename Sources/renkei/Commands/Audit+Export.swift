import ArgumentParser
import Crypto
import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI
import RenkeiStore
import RenkeiTimeStamp

extension Audit {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write one node's audit log, signed checkpoints and time-stamps as files an auditor checks offline.",
            discussion: """
                DIR gets log.jsonl (one entry per line), checkpoints/SIZE.txt (C2SP tlog-checkpoint text), SIZE.signed and \\
                SIZE.sig (the signed text and its ECDSA P-256 signature, DER), stamps/SERIAL.tsr and SERIAL.data (the RFC 3161 \\
                response and the text it stamps), stamps.jsonl, checkpoint.pub and ca.crt. Check it with \\
                `renkei audit verify --export DIR --node NODE`, or with OpenSSL alone:
                  openssl dgst -sha256 -verify DIR/checkpoint.pub -signature DIR/checkpoints/N.sig DIR/checkpoints/N.signed
                  openssl ts -verify -data DIR/stamps/S.data -in DIR/stamps/S.tsr -CAfile DIR/ca.crt
                """
        )

        @OptionGroup var locations: LocationOptions
        @Option(help: "The node, e.g. nws or ms-municipal.") var node: String
        @Option(help: "The directory to write (made when missing).") var out: String

        func run() async throws {
            do {
                let topology = try locations.topology(clock: try locations.clock())
                guard topology.nodes.contains(where: { $0.name == node }) else {
                    throw RenkeiError(.unknownOrganization, "no node \(node) (nodes: \(topology.nodes.map(\.name).joined(separator: ", ")))")
                }
                let pki = PKIDirectory(url: locations.certsURL)
                let (entries, checkpoints) = try await NodeFiles.reading(node, topology: topology, in: locations.dataURL) {
                    reader throws(RenkeiError) in
                    (try await reader.auditEntries(), try await reader.auditCheckpoints())
                }
                let witness = try WitnessRecords(topology: topology, data: locations.dataURL, pki: pki)
                let stamps = try witness.reader?.stamps(for: node) ?? []
                let contents = AuditExport.Contents(node: node, entries: entries, checkpoints: checkpoints, stamps: stamps)
                let directory = URL(fileURLWithPath: out)
                try AuditExport.write(contents, key: try pki.keys.publicKey(node, .checkpoint), authorityPEM: witness.authorityPEM, to: directory)
                print(
                    "\(node): \(contents.entries.count) entries, \(contents.checkpoints.count) signed checkpoints, \(stamps.count) time-stamps written to \(directory.path)"
                )
            } catch let error as RenkeiError {
                throw fail(error)
            }
        }
    }

    /// Checks an export with nothing but its files and the PKI: each stamp against the CA
    /// (RFC 3161), then the log against its checkpoints and stamps. The checkpoint key is the
    /// PKI's when `certs` has it (an export's own key proves nothing about who signed).
    static func verifyExport(_ directory: URL, node: String?, certs: URL) throws(RenkeiError) -> Bool {
        guard let node else { throw RenkeiError(.usage, "--export needs --node, the node the export is of") }
        let contents = try AuditExport.read(directory, node: node)
        let pki = PKIDirectory(url: certs)
        let key: P256.Signing.PublicKey
        let keySource: String
        if let known = try? pki.keys.publicKey(node, .checkpoint) {
            key = known
            keySource = "the checkpoint key in \(certs.path)"
        } else {
            guard let pem = try? String(contentsOf: directory.appendingPathComponent("checkpoint.pub"), encoding: .utf8),
                let exported = try? P256.Signing.PublicKey(pemRepresentation: pem)
            else { throw RenkeiError(.keyMissing, "no checkpoint key for \(node) in \(certs.path) or the export") }
            key = exported
            keySource = "the export's own checkpoint.pub (pass --certs to check it against your PKI)"
        }
        let authorityPEM: String
        if let pem = try? String(contentsOf: pki.authorityURL, encoding: .utf8) {
            authorityPEM = pem
        } else if let pem = try? String(contentsOf: directory.appendingPathComponent("ca.crt"), encoding: .utf8) {
            authorityPEM = pem
        } else {
            throw RenkeiError(.invalidConfiguration, "no CA certificate in \(certs.path) or the export")
        }
        for stamp in contents.stamps {
            do throws(RenkeiError) {
                _ = try TimeStampResponse.verify(stamp.response, data: stamp.checkpoint.signedText, authorityPEM: authorityPEM)
            } catch {
                print("\(node) (export): FAILED: the stamp serial \(stamp.serial) does not verify: \(error.message)")
                return false
            }
        }
        let witness = contents.stamps.isEmpty ? nil : AuditVerifier.Witness(authority: "the time-stamping authority", checkpoints: contents.stamps)
        do throws(AuditVerifier.Failure) {
            let report = try AuditVerifier(node: node, key: key, witness: witness).verify(contents.entries, checkpoints: contents.checkpoints)
            print(
                "\(node) (export): \(report.entries) entries verified, \(report.checkpoints) signed checkpoints, \(report.witnessed) time-stamps; key: \(keySource)"
            )
            for gap in report.acceptedGaps { print("  accepted gap: \(gap)") }
            return true
        } catch {
            print("\(node) (export): FAILED at \(error.entry.map { "entry \($0)" } ?? "a row"): \(error.reason)")
            return false
        }
    }
}
