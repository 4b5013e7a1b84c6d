import ArgumentParser
import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI

struct Certs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the development PKI.",
        subcommands: [Generate.self, Revoke.self, List.self]
    )

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the development CA (P-256) and a certificate per node, business system, operator, trainer and 機関 administrator.",
            discussion: "Existing certificates that still match their subject and CA are kept; missing and revoked ones are made anew."
        )

        @Option(help: "The topology file that lists the nodes and business systems.")
        var config: String = "config/topology.yaml"

        @Option(help: "Where to write the certificates and keys.")
        var dir: String = "certs"

        func run() async throws {
            do {
                let topology = try Topology.load(from: URL(fileURLWithPath: config), today: SimulationClock().today())
                let report = try PKIDirectory(url: URL(fileURLWithPath: dir)).ensure(topology.certificateSubjects, tenants: topology.tenantIDs)
                if report.createdAuthority { print("made the development CA in \(dir)/ca.crt") }
                for name in report.issued { print("issued  \(name)") }
                for name in report.kept { print("kept    \(name)") }
                for name in report.keysMade { print("key     \(name)") }
            } catch {
                throw fail(error)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a holder's certificate: refused at the next handshake, its open connections closed within a second.",
            discussion: """
                Adds the certificate to the development CA's signed revocation list (DIR/revoked.json), \
                which every running node re-reads when it changes. `renkei certs generate` then issues \
                the holder a new certificate.
                """
        )

        @Argument(help: "The holder: a node (ms-municipal), a business system (tomakomai/kokuho), admin, trainer or ORG-admin.")
        var name: String

        @Option(help: "Why (kept in the list).") var reason: String = "unspecified"

        @Option(help: "The certificates directory.")
        var dir: String = "certs"

        func run() async throws {
            do {
                let entry = try PKIDirectory(url: URL(fileURLWithPath: dir)).revoke(name, reason: reason)
                print("revoked \(entry.name) (serial \(entry.serial)) at \(entry.revokedAt): \(entry.reason)")
            } catch {
                throw fail(error)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the revoked certificates.")

        @Option(help: "The certificates directory.")
        var dir: String = "certs"

        func run() async throws {
            do {
                let entries = try PKIDirectory(url: URL(fileURLWithPath: dir)).revocations()
                if entries.isEmpty { print("no certificate is revoked") }
                for entry in entries { print([entry.name, entry.serial, entry.revokedAt, entry.reason].joined(separator: "\t")) }
            } catch {
                throw fail(error)
            }
        }
    }
}
