import ArgumentParser
import Foundation
import NIOCore
import RenkeiConfig
import RenkeiEdge
import RenkeiCore
import RenkeiNodes
import RenkeiPKI
import RenkeiWire

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

    @Option(help: "The 別表第二 item, e.g. 42 or 56-2.")
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

    @Flag(help: "Mark the exchange 照会側不開示 (not shown on マイナポータル).")
    var nondisclosure = false

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

    private func inquire(_ topology: Topology) async throws(RenkeiError) -> Renkei_V1_InquiryResult {
        guard let spec = topology.businessSystem(id: system) else {
            let known = topology.businessSystems.map(\.id).joined(separator: ", ")
            throw RenkeiError(.systemNotAuthorized, "\(system) is not a business system of this topology (known: \(known))")
        }
        let providerOrganization = try topology.requireOrganization(provider, role: "provider")
        var query = Renkei_V1_InquiryQuery()
        query.item = item
        query.provider = providerOrganization.code.rawValue
        query.informationCode = try topology.informationCode(for: info).rawValue
        query.procedureCode = procedure ?? ""
        query.fiscalYear = fiscalYear ?? ""
        query.inquirerNondisclosure = nondisclosure

        let endpoints = EndpointDirectory(locations: locations, topology: topology)
        let pki = PKIDirectory(url: locations.certsURL)
        let credentials = try pki.credentials(for: system)
        let deadline = NIODeadline.now() + .seconds(Int64(timeout))
        let logger = makeLogger(level: .critical)

        if let addressSystem = topology.addressSystem(for: spec.organization) {
            var request = Renkei_V1_AddresseeInquiryRequest()
            if let addressNumber { request.addressNumber = addressNumber }
            if let myNumber { request.myNumber = myNumber }
            request.query = query
            let client = try RPCClient(configuration: .init(target: try endpoints.endpoint(addressSystem.name), expectedPeer: addressSystem.name),
                                       credentials: credentials, logger: logger)
            do {
                let result = try await client.call(Methods.addresseeInquire, request, deadline: deadline)
                await client.shutdown()
                return result
            } catch {
                await client.shutdown()
                throw error
            }
        }
        guard let organization = topology.organization(id: spec.organization), let host = topology.intermediateServer(hosting: spec.organization) else {
            throw RenkeiError(.unknownOrganization, "no 中間サーバー hosts \(spec.organization)")
        }
        guard let addressNumber else {
            throw RenkeiError(.invalidRequest, "\(organization.name) has no 団体内統合宛名システム, so its systems ask by --address-number (a 中間サーバー never sees 個人番号)")
        }
        var request = Renkei_V1_TenantInquiryRequest()
        request.tenant = organization.code.rawValue
        request.addressNumber = addressNumber
        request.query = query
        let client = try RPCClient(configuration: .init(target: try endpoints.endpoint(host.name), expectedPeer: host.name), credentials: credentials, logger: logger)
        do {
            let result = try await client.call(Methods.tenantInquire, request, deadline: deadline)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}

/// Node addresses for clients: those a running `renkei up` wrote, else the topology's.
struct EndpointDirectory {
    let written: [String: String]
    let topology: Topology

    init(locations: LocationOptions, topology: Topology) {
        self.topology = topology
        let url = locations.dataURL.appendingPathComponent("endpoints.json")
        written = (try? Data(contentsOf: url)).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: String] } ?? [:]
    }

    func endpoint(_ name: String) throws(RenkeiError) -> Endpoint {
        if let text = written[name] { return try Endpoint(text) }
        guard let node = topology.nodes.first(where: { $0.name == name }) else {
            throw RenkeiError(.unknownOrganization, "no node \(name) in the topology")
        }
        return node.listen
    }
}
