import ArgumentParser
import Foundation
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiEdge
import RenkeiNodes
import RenkeiPKI

struct Inquire: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make an inquiry (情報照会) as a business system against a running `renkei up`.",
        discussion: """
            Talks to the business system's 団体内統合宛名システム (or, for a 機関 without one, its \
            中間サーバー) over mutual TLS with the system's certificate, and prints the result as \
            JSON. A refusal prints DENIED: CODE: reason and exits 3.

            Example: renkei inquire --system tomakomai/kokuho --item 42 --provider sapporo \
            --info TM00000000000002 --address-number 1000001
            """
    )

    @OptionGroup var locations: LocationOptions

    @Option(help: "The business system to act as, e.g. tomakomai/kokuho.")
    var system: String

    @Option(help: "The item: 42 or 56-2 (別表第二 numbering), 2015:42, or 2024:69 (the 2024 ordinance).")
    var item: String

    @Option(help: "The provider: an organization id (sapporo) or a 機関コード.")
    var provider: String

    @Option(help: "What to ask for: a 特定個人情報名コード (TM…), or an information class or its abbreviation (地方税関係情報, TAX).")
    var info: String

    @Option(help: "The person's 宛名番号 in the business system.")
    var addressNumber: String?

    @Option(help: "The person's 個人番号 (resolved by the 団体内統合宛名システム, never sent further).")
    var myNumber: String?

    @Option(help: "The 事務手続コード (JT…); defaults to the item's procedure in the layout catalogue.")
    var procedure: String?

    @Option(help: "Only records of this 年度 (e.g. 2025).")
    var fiscalYear: String?

    @Flag(help: "Mark the exchange 照会側不開示 (not shown on マイナポータル); only systems granted it in the topology may.")
    var nondisclosure = false

    @Flag(help: "テスト mode (MSGMode 1): the whole path runs and every record is marked test; the exchange still shows in やりとり履歴, marked テスト.")
    var testMode = false

    @Option(
        help:
            "A JSON file of node addresses (NODE: host:port) to use instead of those of the renkei up on --data: nodes run by renkei node on other hosts."
    )
    var endpoints: String?

    @Option(help: "The operator: the ユーザID of a member of the 機関's staff (renkei staff list), e.g. user01.")
    var user: String?

    @Option(help: "The operator's 部署コード (checked against their account when given).")
    var department: String?

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Int = 10

    func validate() throws {
        guard (addressNumber == nil) != (myNumber == nil) else {
            throw ValidationError("give exactly one of --address-number and --my-number")
        }
        guard (1...600).contains(timeout) else { throw ValidationError("--timeout must be 1 to 600 seconds") }
    }

    func run() async throws {
        do {
            let clock = try locations.clock()
            let topology = try locations.topology(clock: clock)
            let result = try await inquire(topology)
            print(try InquiryReport(result, topology: topology).json())
        } catch let error as RenkeiError {
            throw fail(error)
        }
    }

    private func inquire(_ topology: Topology) async throws(RenkeiError) -> InquiryResult {
        let (route, _) = try LinkageClient.route(for: system, in: topology)
        let person: PersonReference
        switch (route, addressNumber, myNumber) {
        case let (_, number?, _): person = .addressNumber(number)
        case let (.addressSystem, _, number?): person = .myNumber(number)
        default:
            throw RenkeiError(.invalidRequest, "\(system)'s 機関 has no 団体内統合宛名システム, so its systems ask by --address-number (a 中間サーバー never sees 個人番号)")
        }
        let question = try InquiryQuestion(
            item: item, provider: provider, information: info, procedure: procedure, fiscalYear: fiscalYear, nondisclosure: nondisclosure,
            testMode: testMode, department: department, user: user, topology: topology
        )
        let endpoints =
            if let endpoints {
                EndpointDirectory(written: try EndpointsFile.read(URL(fileURLWithPath: endpoints)).mapValues(\.description), topology: topology)
            } else {
                try EndpointDirectory(locations: locations, topology: topology)
            }
        let credentials = try PKIDirectory(url: locations.certsURL).credentials(for: system)
        let client = try LinkageClient.connect(as: system, topology: topology, credentials: credentials, logger: makeLogger(level: .critical)) {
            name in
            try? endpoints.endpoint(name)
        }
        do {
            let result = try await client.inquire(person, question, deadline: .now() + .seconds(Int64(timeout)))
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}

/// Node addresses for clients: those the `renkei up` running on `--data` wrote. A command never
/// falls back to the topology's ports when no network runs on its data directory: it would talk
/// to whichever network happens to listen there (another run's), and say nothing.
struct EndpointDirectory {
    let written: [String: String]
    let topology: Topology

    init(written: [String: String], topology: Topology) {
        self.written = written
        self.topology = topology
    }

    init(locations: LocationOptions, topology: Topology) throws(RenkeiError) {
        self.topology = topology
        let directory = locations.dataURL
        guard DataDirectoryLock.isHeld(directory: directory) else {
            throw RenkeiError(
                .unavailable,
                "no renkei up is running on the data directory \(directory.path); start one with renkei up --data \(locations.data), or pass the --data of the running network"
            )
        }
        let url = directory.appendingPathComponent("endpoints.json")
        guard let data = try? Data(contentsOf: url), let entries = try? JSONSerialization.jsonObject(with: data) as? [String: String] else {
            throw RenkeiError(
                .unavailable, "the renkei up on \(directory.path) has not written its addresses yet (\(url.lastPathComponent)); wait for ready")
        }
        written = entries
    }

    func endpoint(_ name: String) throws(RenkeiError) -> Endpoint {
        if let text = written[name] { return try Endpoint(text) }
        guard let node = topology.nodes.first(where: { $0.name == name }) else {
            throw RenkeiError(.unknownOrganization, "no node \(name) in the topology")
        }
        return node.listen
    }
}
