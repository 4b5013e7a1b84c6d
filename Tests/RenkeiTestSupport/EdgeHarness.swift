public import Foundation
public import Logging
public import NIOHTTP1
public import RenkeiConfig
public import RenkeiCore
public import RenkeiEdge
public import RenkeiNodes
public import RenkeiPKI
import RenkeiStore
public import Testing

/// The default topology on ephemeral ports, seeded, with every HTTPS edge running.
public struct EdgeHarness: Sendable {
    public let network: LinkageNetwork
    public let edges: [String: Endpoint]
    /// Every route the edges serve ("METHOD /path").
    public let routes: [String]
    public let population: Population
    public let group: EdgeGroup

    public static let logger: Logger = {
        var logger = Logger(label: "renkei.test.edge")
        logger.logLevel = .critical
        return logger
    }()

    public var topology: Topology { network.topology }
    public var certificates: URL { network.pki.url }

    public static func start(
        scenario: String = "seed", clock: SimulationClock = SimulationClock(), adjust: (inout Topology) -> Void = { _ in }
    ) async throws -> EdgeHarness {
        var topology = try Repository.defaultTopology().withEphemeralPorts()
        adjust(&topology)
        let directory = try scratchDirectory("edge-certs")
        let network = try await LinkageNetwork.start(
            topology: topology, pki: PKIDirectory(url: directory), store: { _, _ throws(RenkeiError) in MemoryStore() }, clock: clock,
            logger: logger
        )
        let scenarios = Repository.scenarios
        _ = try await network.seed(Scenario.load(named: scenario, in: scenarios, topology: topology))
        let group = EdgeGroup(try EdgeServer.all(for: network, scenarios: scenarios, logger: logger), logger: logger)
        let edges = await group.addresses()
        #expect(edges.count == 5, "every edge started: \(edges.keys.sorted())")
        return EdgeHarness(network: network, edges: edges, routes: group.routes, population: Population(plan: topology.population), group: group)
    }

    /// Stops the edges and the network and removes the certificates.
    public func stop() async {
        await group.shutdown()
        await network.stop()
        try? FileManager.default.removeItem(at: certificates)
    }

    /// Calls `node`'s edge as `holder` (a business system id, or admin).
    public func call(
        _ holder: String, _ node: String, _ method: HTTPMethod, _ path: String, json: Any? = nil, text: String? = nil, bytes: [UInt8]? = nil,
        contentType: String? = nil, bearer: String? = nil
    ) async throws -> HTTPSClient.Response {
        let client = try HTTPSClient(credentials: network.pki.credentials(for: holder))
        let endpoint = try #require(edges[node], "no edge \(node)")
        var body: [UInt8]?
        var type = contentType
        if let json {
            body = Array(try JSONSerialization.data(withJSONObject: json))
            type = type ?? "application/json"
        } else if let text {
            body = Array(text.utf8)
        } else if let bytes {
            body = bytes
        }
        return try await client.request(method, endpoint, path: path, contentType: type, body: body, bearer: bearer)
    }

    /// Entries of an organization's register that match.
    public func people(of organization: String, where predicate: (RegisterEntry, SyntheticPerson) -> Bool) -> [(RegisterEntry, SyntheticPerson)] {
        guard let basis = topology.registers[organization] else { return [] }
        return population.register(basis).filter { predicate($0, population.persons[$0.person]) }.map { ($0, population.persons[$0.person]) }
    }

    public func hasLinkCode(_ organization: String, serial: Int) -> Bool {
        guard let basis = topology.registers[organization] else { return false }
        return population.register(basis).first { $0.person == serial }?.linkCodeAcquired == true
    }

    /// 宛名番号 at 苫小牧市 of movers from 札幌市 known to both cities by a 符号.
    public func movers() -> [String] {
        people(of: "tomakomai") { entry, person in
            person.formerCity == "sapporo" && entry.linkCodeAcquired && hasLinkCode("sapporo", serial: person.serial)
        }
        .map(\.0.addressNumber.short)
    }
}

extension HTTPSClient.Response {
    public var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:] }
    public var code: String? { json["code"] as? String }
}

/// Asserts an error answer: exact HTTP status and error code.
public func expectError(_ response: HTTPSClient.Response, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.status == status, "status \(response.status): \(response.text.prefix(300))", sourceLocation: sourceLocation)
    #expect(response.code == code, "code: \(response.text.prefix(300))", sourceLocation: sourceLocation)
}

public func inquiry(
    _ addressNumber: String, item: String = "42", provider: String = "sapporo", information: String = "TM00000000000002", extra: [String: Any] = [:]
) -> [String: Any] {
    // user01 is a member of staff of every seeded 機関 (config/staff.yaml).
    ["addressNumber": addressNumber, "item": item, "provider": provider, "information": information, "userId": "user01"].merging(extra) { $1 }
}

/// Runs `body` with every edge of a seeded network and stops them afterwards, also when
/// `body` throws.
public func withEdge<T>(
    scenario: String = "seed", clock: SimulationClock = SimulationClock(), adjust: (inout Topology) -> Void = { _ in },
    isolation: isolated (any Actor)? = #isolation, _ body: (EdgeHarness) async throws -> T
) async throws -> T {
    try await withTestCapacity(isolation: isolation) {
        let edge = try await EdgeHarness.start(scenario: scenario, clock: clock, adjust: adjust)
        do {
            let value = try await body(edge)
            await edge.stop()
            return value
        } catch {
            await edge.stop()
            throw error
        }
    }
}
