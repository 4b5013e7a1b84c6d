import Foundation
public import Logging
public import NIOCore
import NIOHTTP1
public import RenkeiConfig
public import RenkeiCore
import RenkeiEdge
import RenkeiNodes
public import RenkeiPKI

/// The outcome of one operation, as the statistics count it.
public struct OperationOutcome: Sendable, Hashable {
    /// The error code of a failure the mix did not expect; nil for success.
    public let error: String?
    /// A refusal the mix expected (it is counted, not as an error).
    public let expectedRefusal: Bool

    public init(error: String?, expectedRefusal: Bool) {
        self.error = error
        self.expectedRefusal = expectedRefusal
    }

    public static let success = OperationOutcome(error: nil, expectedRefusal: false)
}

/// Where load goes: the AddressSystems (and, for 機関 without one, the 中間サーバー) of a
/// running network, over the renkei wire protocol with each business system's own
/// certificate — the path `renkei inquire` takes — and their HTTPS edges for batch files.
public final class LoadTarget: Sendable {
    public struct Addresses: Sendable {
        /// Node name → wire address.
        public let wire: [String: Endpoint]
        /// Node name → HTTPS edge address.
        public let edges: [String: Endpoint]

        public init(wire: [String: Endpoint], edges: [String: Endpoint]) {
            self.wire = wire
            self.edges = edges
        }
    }

    /// An operation of the mix with everything it needs made in advance.
    struct Prepared: Sendable {
        let operation: LoadMix.Operation
        let client: LinkageClient
        let tenant: OrganizationCode
        /// What an inquiry asks (inquiry and manual operations).
        let question: InquiryQuestion?
        /// The 特定個人情報名 an update registers, and the data set whose every item it fills.
        let information: InformationCode?
        let dataSet: InformationCatalogue.DataSetSpec?
        /// The provider a batch file's rows name.
        let provider: OrganizationCode?
        let people: [String]
        let edge: Endpoint?
        let https: HTTPSClient?
    }

    private let prepared: [String: Prepared]
    private let clients: [LinkageClient]
    private let timeout: TimeAmount

    public init(
        topology: Topology, population: Population, pki: PKIDirectory, addresses: Addresses, mix: LoadMix, connections: Int = 4,
        timeout: TimeAmount = .seconds(10), logger: Logger
    ) throws(RenkeiError) {
        var prepared = [String: Prepared]()
        var clients = [String: LinkageClient]()
        for operation in mix.operations {
            guard let system = topology.businessSystem(id: operation.system), let organization = topology.organization(id: system.organization) else {
                throw RenkeiError(.invalidConfiguration, "\(operation.name): \(operation.system) is not a business system of the topology")
            }
            let (_, node) = try LinkageClient.route(for: operation.system, in: topology)
            let client: LinkageClient
            if let existing = clients[operation.system] {
                client = existing
            } else {
                client = try LinkageClient.connect(
                    as: operation.system, topology: topology, credentials: try pki.credentials(for: operation.system), connections: connections,
                    logger: logger
                ) { addresses.wire[$0] }
                clients[operation.system] = client
            }
            var question: InquiryQuestion?
            var information: InformationCode?
            var dataSet: InformationCatalogue.DataSetSpec?
            var batchProvider: OrganizationCode?
            var people = [String]()
            switch operation.kind {
            case .inquiry, .manual:
                let provider = try topology.requireOrganization(operation.provider ?? "", role: "provider")
                question = try InquiryQuestion(
                    item: operation.item ?? "", provider: provider.code.rawValue, information: operation.information ?? "", user: operation.user,
                    topology: topology)
                people = try Self.people(
                    operation.people ?? .residents, of: organization, provider: provider, topology: topology, population: population)
            case .update:
                let code = try topology.informationCode(for: operation.information ?? "")
                information = code
                dataSet = topology.catalogue.spec(code)?.dataSets.first
                people = try Self.people(.residents, of: organization, provider: organization, topology: topology, population: population)
            case .batch:
                let provider = topology.organizations.first {
                    $0.id != organization.id && topology.registers[$0.id] != nil && $0.localGovernmentCode != nil
                }
                people = try Self.people(.movers, of: organization, provider: provider ?? organization, topology: topology, population: population)
                batchProvider = (provider ?? organization).code
            }
            guard !people.isEmpty else {
                throw RenkeiError(
                    .invalidConfiguration,
                    "\(operation.name): the population has no \(operation.people?.rawValue ?? "residents") for \(operation.system)")
            }
            let edge = operation.kind == .batch ? addresses.edges[node] : nil
            if operation.kind == .batch, edge == nil {
                throw RenkeiError(.invalidConfiguration, "\(operation.name): \(node) has no HTTPS edge for batch files")
            }
            prepared[operation.name] = Prepared(
                operation: operation, client: client, tenant: organization.code, question: question, information: information, dataSet: dataSet,
                provider: batchProvider, people: people,
                edge: edge, https: operation.kind == .batch ? try HTTPSClient(credentials: pki.credentials(for: operation.system)) : nil
            )
        }
        self.prepared = prepared
        self.clients = Array(clients.values)
        self.timeout = timeout
    }

    /// 宛名番号 of the people an operation asks about.
    static func people(
        _ kind: LoadMix.People, of organization: Organization, provider: Organization, topology: Topology, population: Population
    ) throws(RenkeiError) -> [String] {
        guard let basis = topology.registers[organization.id] else {
            throw RenkeiError(.invalidConfiguration, "\(organization.name) has no population register")
        }
        let providerCodes: [Int: Bool] =
            topology.registers[provider.id].map { providerBasis in
                Dictionary(population.register(providerBasis).map { ($0.person, $0.linkCodeAcquired) }, uniquingKeysWith: { first, _ in first })
            } ?? [:]
        return population.register(basis).filter { entry in
            let person = population.persons[entry.person]
            switch kind {
            case .movers: return person.formerCity == provider.id && entry.linkCodeAcquired && providerCodes[entry.person] == true
            case .residents: return entry.isResident && entry.linkCodeAcquired
            case .pending: return !entry.linkCodeAcquired
            case .insured:
                return person.city == provider.id && person.formerlyNationalHealthInsurance && entry.linkCodeAcquired
                    && providerCodes[entry.person] == true
            }
        }.map(\.addressNumber.rawValue)
    }

    /// Runs operation `name` for the `sequence`-th time.
    public func execute(_ name: String, sequence: Int) async -> OperationOutcome {
        guard let prepared = prepared[name] else { return OperationOutcome(error: "UNKNOWN_OPERATION", expectedRefusal: false) }
        let person = prepared.people[sequence % prepared.people.count]
        do throws(RenkeiError) {
            switch prepared.operation.kind {
            case .inquiry, .manual: try await inquire(prepared, person: person)
            case .update: try await update(prepared, person: person, sequence: sequence)
            case .batch: try await batch(prepared, sequence: sequence)
            }
            if let expected = prepared.operation.expect {
                return OperationOutcome(error: "UNEXPECTED_SUCCESS (expected \(expected))", expectedRefusal: false)
            }
            return .success
        } catch {
            if error.code.rawValue == prepared.operation.expect { return OperationOutcome(error: nil, expectedRefusal: true) }
            return OperationOutcome(error: error.code.rawValue, expectedRefusal: false)
        }
    }

    private func inquire(_ prepared: Prepared, person: String) async throws(RenkeiError) {
        guard let question = prepared.question else { throw RenkeiError(.invalidConfiguration, "\(prepared.operation.name) asks nothing") }
        _ = try await prepared.client.inquire(.addressNumber(person), question, deadline: .now() + timeout)
    }

    /// Re-registers one 副本 (always the same record key, so the store does not grow).
    private func update(_ prepared: Prepared, person: String, sequence: Int) async throws(RenkeiError) {
        guard let information = prepared.information, let dataSet = prepared.dataSet else {
            throw RenkeiError(.invalidConfiguration, "\(prepared.operation.name) names no 特定個人情報名 with a data set")
        }
        // Every item of the layout, as a registration must carry: the first counts, the rest are blank.
        let items = dataSet.items.enumerated().map { index, item in
            index == 0
                ? DuplicateRecord.Item(code: item.code, value: item.format.example(sequence)) : DuplicateRecord.Item(code: item.code, value: nil)
        }
        let record = DuplicateRecord(
            informationCode: information, dataSet: dataSet.id,
            recordKey: "LOAD", version: 1 + sequence % 1_000, publicationDate: nil, endDate: nil, items: items
        )
        _ = try await prepared.client.registerDuplicates(
            [DuplicateRegistration.Entry(record: record, addressNumber: person)], user: prepared.operation.user ?? "", deadline: .now() + timeout)
    }

    private func batch(_ prepared: Prepared, sequence: Int) async throws(RenkeiError) {
        guard let https = prepared.https, let edge = prepared.edge else { throw RenkeiError(.invalidConfiguration, "no HTTPS edge") }
        let rows = (0..<(prepared.operation.rows ?? 1)).map { index in
            BatchFileWriter.row(
                addressNumber: prepared.people[(sequence * 31 + index) % prepared.people.count], inquirer: prepared.tenant.rawValue,
                provider: prepared.provider?.rawValue ?? "", user: prepared.operation.user ?? "",
                sequence: sequence * 10_000 + index
            )
        }
        let response = try await https.request(
            .POST, edge, path: "/v1/batch", contentType: "text/plain", body: Array(rows.joined(separator: "\r\n").utf8), timeout: .seconds(120))
        guard response.status == 200 else { throw RenkeiError(ErrorCode(rawValue: "HTTP_\(response.status)"), response.text) }
    }

    public func shutdown() async {
        for client in clients { await client.shutdown() }
    }
}

/// 一括照会 rows for load runs: 地方税関係情報 under item 42.
enum BatchFileWriter {
    static func row(addressNumber: String, inquirer: String, provider: String, user: String, sequence: Int) -> String {
        func right(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        let time = String(sequence % 1_000_000_000)
        let requested = "20261126" + String(repeating: "0", count: 9 - time.count) + time
        return [
            "01", addressNumber, String(repeating: " ", count: 15), requested, String(repeating: " ", count: 20), right(user, 20), inquirer, "0",
            "JM01000000121000",
            "JT90420000000001", String(repeating: " ", count: 16), String(repeating: " ", count: 16), right(provider, 16), "TM00000000000002", "0",
            "0",
            String(repeating: " ", count: 8), String(repeating: " ", count: 8),
        ].joined(separator: ",")
    }
}
