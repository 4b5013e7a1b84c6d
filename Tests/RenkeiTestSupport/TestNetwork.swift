public import Foundation
public import Logging
public import NIOCore
public import RenkeiConfig
public import RenkeiCore
public import RenkeiNodes
public import RenkeiPKI
public import RenkeiStore
public import RenkeiWire

/// The default topology on ephemeral ports, seeded, every node over real mutual TLS on
/// loopback. Use `withTestNetwork`, which always stops it and removes what it made.
public struct TestNetwork: Sendable {
    public let topology: Topology
    public let network: LinkageNetwork
    public let pki: PKIDirectory
    public let stores: [String: any NodeStore]
    public let population: Population
    /// The certificates directory this network made (nil when it was given one).
    let ownCertificates: URL?

    public static let logger: Logger = {
        var logger = Logger(label: "renkei.test.nodes")
        logger.logLevel = .warning
        return logger
    }()

    /// With `data`, each node keeps a SQLite store there (and `pki` is reused across
    /// restarts); without, in-memory stores.
    public static func start(
        seed: Bool = true, data: URL? = nil, pki existing: PKIDirectory? = nil, permitProtection: Topology.PermitProtection = .signature,
        clock: SimulationClock = SimulationClock(),
        storeOptions: @escaping @Sendable (String) -> SQLiteStore.Options = { _ in SQLiteStore.Options() },
        adjust: (inout Topology) -> Void = { _ in }
    ) async throws -> TestNetwork {
        var topology = try Repository.defaultTopology().withEphemeralPorts()
        topology.networkSystem.permitProtection = permitProtection
        adjust(&topology)
        let pki: PKIDirectory
        let ownCertificates: URL?
        if let existing {
            pki = existing
            ownCertificates = nil
        } else {
            let url = try scratchDirectory("certs")
            pki = PKIDirectory(url: url)
            ownCertificates = url
        }
        let memory = Dictionary(uniqueKeysWithValues: topology.nodes.map { ($0.name, MemoryStore()) })
        let network = try await LinkageNetwork.start(
            topology: topology, pki: pki,
            store: { name, checkpointKey throws(RenkeiError) in
                if let data {
                    return try SQLiteStore(
                        url: NodeFiles.store(name, in: data), node: name, signingKey: checkpointKey, options: storeOptions(name), clock: clock)
                }
                guard let store = memory[name] else { throw RenkeiError(.internalError, "no store for \(name)") }
                return store
            },
            clock: clock, logger: logger
        )
        let net = TestNetwork(
            topology: topology, network: network, pki: pki, stores: network.stores, population: Population(plan: topology.population),
            ownCertificates: ownCertificates
        )
        if seed {
            do { _ = try await network.seed(Scenario(name: "seed")) } catch {
                await net.stop()
                throw error
            }
        }
        return net
    }

    /// A client acting as `system` (a business system id) towards node `node`.
    public func client(as system: String, to node: String) throws -> RPCClient {
        guard let endpoint = network.endpoints.endpoint(node) else { throw RenkeiError(.internalError, "no node \(node)") }
        return try RPCClient(
            configuration: .init(target: endpoint, expectedPeer: node),
            credentials: pki.credentials(for: system).on(network.clock),
            logger: Self.logger
        )
    }

    public func organization(_ id: String) throws -> Organization {
        guard let organization = topology.organization(id: id) else { throw RenkeiError(.internalError, "no organization \(id)") }
        return organization
    }

    /// A register entry of `organization` matching `predicate`.
    public func person(of organization: String, where predicate: (RegisterEntry, SyntheticPerson) -> Bool) throws -> (RegisterEntry, SyntheticPerson)
    {
        guard let basis = topology.registers[organization] else { throw RenkeiError(.internalError, "no register for \(organization)") }
        for entry in population.register(basis) where predicate(entry, population.persons[entry.person]) {
            return (entry, population.persons[entry.person])
        }
        throw RenkeiError(.internalError, "no such person at \(organization)")
    }

    /// Whether `organization` holds a 符号 for the person with `serial`.
    public func hasLinkCode(_ organization: String, serial: Int) -> Bool {
        guard let basis = topology.registers[organization] else { return false }
        return population.register(basis).first { $0.person == serial }?.linkCodeAcquired == true
    }

    /// Stops every node. The certificates stay, for a restart on the same PKI.
    public func stop() async { await network.stop() }

    /// Removes the certificates this network made, once nothing needs them.
    func removeOwnFiles() {
        if let ownCertificates { try? FileManager.default.removeItem(at: ownCertificates) }
    }
}

/// Runs `body` with a started `TestNetwork` and stops it afterwards, also when `body` throws,
/// so a failing test leaks no servers.
public func withTestNetwork<T>(
    seed: Bool = true, data: URL? = nil, pki: PKIDirectory? = nil, permitProtection: Topology.PermitProtection = .signature,
    clock: SimulationClock = SimulationClock(), storeOptions: @escaping @Sendable (String) -> SQLiteStore.Options = { _ in SQLiteStore.Options() },
    adjust: @Sendable (inout Topology) -> Void = { _ in }, isolation: isolated (any Actor)? = #isolation,
    _ body: (TestNetwork) async throws -> T
) async throws -> T {
    try await withTestCapacity(isolation: isolation) {
        let net = try await TestNetwork.start(
            seed: seed, data: data, pki: pki, permitProtection: permitProtection, clock: clock, storeOptions: storeOptions, adjust: adjust)
        do {
            let value = try await body(net)
            await net.stop()
            net.removeOwnFiles()
            return value
        } catch {
            await net.stop()
            net.removeOwnFiles()
            throw error
        }
    }
}

/// An inquiry's question with codes as they are, unresolved.
/// A question as a member of staff asks it: `user01` works on every seeded business system.
public func query(item: String, provider: Organization, information: String, fiscalYear: String = "", user: String = "user01") -> InquiryQuestion {
    var query = InquiryQuestion()
    query.userID = user
    query.item = item
    query.provider = provider.code.rawValue
    query.informationCode = information
    query.fiscalYear = fiscalYear
    return query
}

public func deadline() -> NIODeadline { .now() + .seconds(20) }
