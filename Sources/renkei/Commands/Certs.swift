import ArgumentParser
import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI

struct Certs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the development PKI.",
        subcommands: [Generate.self]
    )

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the development CA (P-256) and a certificate per node, business system and the operator.",
            discussion: "Existing certificates that still match their subject and CA are kept; missing ones are made."
        )

        @Option(help: "The topology file that lists the nodes and business systems.")
        var config: String = "config/topology.yaml"

        @Option(help: "Where to write the certificates and keys.")
        var dir: String = "certs"

        func run() async throws {
            do {
                let topology = try Topology.load(from: URL(fileURLWithPath: config), today: SimulationClock().today())
                let report = try PKIDirectory(url: URL(fileURLWithPath: dir)).ensure(topology.certificateSubjects)
                if report.createdAuthority { print("made the development CA in \(dir)/ca.crt") }
                for name in report.issued { print("issued  \(name)") }
                for name in report.kept { print("kept    \(name)") }
            } catch {
                throw fail(error)
            }
        }
    }
}
