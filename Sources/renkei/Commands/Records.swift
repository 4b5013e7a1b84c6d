import ArgumentParser
import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiEdge
import RenkeiNodes
import RenkeiPKI
import RenkeiStore

struct Records: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "情報提供等記録: show them (a person's やりとり履歴, an organization's records), or reconcile the three parties' copies.",
        subcommands: [Show.self, Reconcile.self],
        defaultSubcommand: Show.self
    )
}

extension Records {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show 情報提供等記録: a person's やりとり履歴 as マイナポータル shows it, or an organization's records.",
            discussion: """
                Reads the data directory of a `renkei up` (running or stopped). Records marked 不開示 \
                are left out of the やりとり履歴. Records are kept 7 years; `renkei up --clock-offset` \
                moves the clock to show the purge.
                """
        )

        @OptionGroup var locations: LocationOptions

        @Option(help: "A person's 個人番号: show their やりとり履歴.")
        var myNumber: String?

        @Option(help: "An organization id (tomakomai) or 機関コード: show the records it keeps.")
        var org: String?

        @Option(help: "Only records requested on or after this date (yyyy-MM-dd, JST).")
        var since: String?

        @Option(help: "At most this many records, newest first.")
        var limit: Int = 100

        func validate() throws {
            guard (myNumber == nil) != (org == nil) else { throw ValidationError("give exactly one of --my-number and --org") }
            guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be 1 to 100000") }
        }

        func run() async throws {
            do {
                let clock = try locations.clock()
                let topology = try locations.topology(clock: clock)
                let views = RecordViews(topology: topology, dataDirectory: locations.dataURL, pki: PKIDirectory(url: locations.certsURL))
                if let myNumber {
                    let number = try Parse.myNumber(myNumber)
                    let entries = try await views.portal(myNumber: number, limit: limit)
                    print("# やりとり履歴: \(entries.count) exchanges (不開示 records are not shown)")
                    print(["照会日時", "情報照会者", "情報提供者", "項", "特定個人情報", "結果"].joined(separator: "\t"))
                    for entry in entries {
                        print(
                            [
                                JSTTime.iso8601(entry.requestedAt), entry.inquirer, entry.provider, entry.item.japanese,
                                entry.information.joined(separator: "・"), entry.outcome.rawValue + (entry.testMode ? " (テスト)" : ""),
                            ].joined(separator: "\t"))
                    }
                    return
                }
                guard let org, let organization = topology.organization(named: org) else {
                    throw RenkeiError(
                        .unknownOrganization,
                        "no organization \(org ?? "") takes part (known: \(topology.organizations.map(\.id).joined(separator: ", ")))")
                }
                let sinceMicros = try since.map { text throws(RenkeiError) in
                    Int64(try CivilDate(text).daysSinceEpoch) * 86_400_000_000 - 9 * 3_600_000_000
                }
                let records = try views.organization(organization, since: sinceMicros, limit: limit)
                print("# \(organization.name): \(records.count) 情報提供等記録")
                print(["照会日時", "提供日時", "記録", "受付番号", "情報照会者", "情報提供者", "項", "特定個人情報名コード", "結果", "不開示"].joined(separator: "\t"))
                for record in records {
                    print(
                        [
                            JSTTime.iso8601(record.requestedAt), record.providedAt.map(JSTTime.iso8601) ?? "-",
                            record.party == .inquirer ? "照会" : "提供", record.receptionNumber.rawValue,
                            views.name(record.inquirer), views.name(record.provider), record.item.japanese,
                            record.informationCodes.map(\.rawValue).joined(separator: ","),
                            record.outcome.rawValue + (record.errorCode.map { " (\($0))" } ?? ""),
                            record.inquirerNondisclosure || record.providerNondisclosure ? "不開示" : "",
                        ].joined(separator: "\t"))
                }
            } catch let error as RenkeiError {
                throw fail(error)
            }
        }
    }

    enum Parse {
        static func myNumber(_ text: String) throws(RenkeiError) -> MyNumber {
            do { return try MyNumber(text) } catch { throw RenkeiError(error) }
        }
    }
}
