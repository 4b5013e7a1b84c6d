import ArgumentParser
import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiStore

extension Records {
    struct Reconcile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare the 情報提供等記録 the three parties of each exchange kept, and report where they disagree.",
            discussion: """
                Reads the data directory (a running or stopped renkei up) and changes nothing: the inquirer's tenant, the \\
                network system and the provider's tenant must record each exchange the same way. A provision that completed \\
                after the inquirer's deadline shows as late at the provider and a timeout at the others until renkei up \\
                settles it at start (then all three record it late, with the provider's time). Exits 0 when all agree, 2 \\
                when any disagree.
                """
        )

        @OptionGroup var locations: LocationOptions

        @Option(help: "Compare the exchanges requested in the last DAYS days.")
        var days: Int = 8

        func validate() throws {
            guard (1...3_650).contains(days) else { throw ValidationError("--days must be 1 to 3650") }
        }

        func run() async throws {
            do {
                let clock = try locations.clock()
                let topology = try locations.topology(clock: clock)
                let data = locations.dataURL
                let now = clock.nowMicros()
                let report = try await RecordReconciler(topology: topology).reconcile(
                    since: now - Int64(days) * 86_400_000_000, before: now,
                    records: { node throws(RenkeiError) in
                        try await NodeFiles.reading(node, topology: topology, in: data) { reader throws(RenkeiError) in
                            try await reader.records(RecordQuery(testMode: nil, limit: RecordReconciler.recordLimit))
                        }
                    })
                for line in report.disagreements { print("DISAGREE \(line)") }
                print("\(report.exchanges) exchanges compared, \(report.disagreements.count) disagreements")
                if !report.disagreements.isEmpty { throw Audit.tampered }
            } catch let error as RenkeiError {
                throw fail(error)
            }
        }
    }
}
