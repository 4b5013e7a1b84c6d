import Foundation
import Logging
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI
import RenkeiStore
import RenkeiWire
import Synchronization

/// The repository's config directory, wherever the tests run from.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func loadDefaultTopology() throws -> Topology {
    try Topology.load(from: repositoryRoot.appendingPathComponent("config/topology.yaml"), today: SimulationClock().today())
}

func temporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The default topology on ephemeral ports with in-memory stores, seeded.
struct TestNetwork {
    let topology: Topology
    let network: LinkageNetwork
    let pki: PKIDirectory
    let stores: [String: any NodeStore]
    let population: Population

    static let logger: Logger = {
        var logger = Logger(label: "renkei.test.nodes")
        logger.logLevel = .warning
        return logger
    }()

    /// With `data`, each node keeps a SQLite store there (and `pki` is reused across
    /// restarts); without, in-memory stores.
    static func start(
        seed: Bool = true, data: URL? = nil, pki existing: PKIDirectory? = nil, permitProtection: Topology.PermitProtection = .signature
    ) async throws -> TestNetwork {
        var topology = try loadDefaultTopology().withEphemeralPorts()
        topology.networkSystem.permitProtection = permitProtection
        let pki = try existing ?? PKIDirectory(url: temporaryDirectory("certs"))
        let memory = Dictionary(uniqueKeysWithValues: topology.nodes.map { ($0.name, MemoryStore()) })
        let network = try await LinkageNetwork.start(
            topology: topology, pki: pki,
            store: { name, credentials throws(RenkeiError) in
                if let data {
                    return try SQLiteStore(url: NodeFiles.store(name, in: data), node: name, signingKey: credentials.privateKey)
                }
                guard let store = memory[name] else { throw RenkeiError(.internalError, "no store for \(name)") }
                return store
            },
            logger: logger
        )
        let stores = network.stores
        if seed {
            _ = try await network.seed(Scenario(name: "seed"))
        }
        return TestNetwork(topology: topology, network: network, pki: pki, stores: stores, population: Population(plan: topology.population))
    }

    /// A client acting as `system` (a business system id) towards node `node`.
    func client(as system: String, to node: String) throws -> RPCClient {
        guard let endpoint = network.endpoints.endpoint(node) else { throw RenkeiError(.internalError, "no node \(node)") }
        return try RPCClient(
            configuration: .init(target: endpoint, expectedPeer: node),
            credentials: pki.credentials(for: system),
            logger: Self.logger
        )
    }

    func organization(_ id: String) throws -> Organization {
        guard let organization = topology.organization(id: id) else { throw RenkeiError(.internalError, "no organization \(id)") }
        return organization
    }

    /// A register entry of `organization` matching `predicate`.
    func person(of organization: String, where predicate: (RegisterEntry, SyntheticPerson) -> Bool) throws -> (RegisterEntry, SyntheticPerson) {
        guard let basis = topology.registers[organization] else { throw RenkeiError(.internalError, "no register for \(organization)") }
        for entry in population.register(basis) where predicate(entry, population.persons[entry.person]) {
            return (entry, population.persons[entry.person])
        }
        throw RenkeiError(.internalError, "no such person at \(organization)")
    }

    /// Whether `organization` holds a 符号 for the person with `serial`.
    func hasLinkCode(_ organization: String, serial: Int) -> Bool {
        guard let basis = topology.registers[organization] else { return false }
        return population.register(basis).first { $0.person == serial }?.linkCodeAcquired == true
    }

    func stop() async { await network.stop() }
}

func query(item: String, provider: Organization, information: String, fiscalYear: String = "") -> InquiryQuestion {
    var query = InquiryQuestion()
    query.item = item
    query.provider = provider.code.rawValue
    query.informationCode = information
    query.fiscalYear = fiscalYear
    return query
}

func deadline() -> NIODeadline { .now() + .seconds(20) }
