import Crypto
public import RenkeiConfig
public import RenkeiCore
public import RenkeiPKI

/// One node to start: its name, role and address, and how to make it from its environment.
public struct NodePlan: Sendable {
    public let name: String
    public let role: NodeRole
    public let listen: Endpoint
    /// What the node is, for people: 苫小牧市, 札幌市 on a 中間サーバー and so on.
    public let summary: String
    public let make: @Sendable (NodeEnvironment) async throws(RenkeiError) -> any LinkageNode

    public init(
        name: String, role: NodeRole, listen: Endpoint, summary: String,
        make: @escaping @Sendable (NodeEnvironment) async throws(RenkeiError) -> any LinkageNode
    ) {
        self.name = name
        self.role = role
        self.listen = listen
        self.summary = summary
        self.make = make
    }

    /// Every node of `topology`, in the order they start: the network system and J-LIS first,
    /// then the 中間サーバー, then the 団体内統合宛名システム that call them.
    public static func all(for topology: Topology, pki: PKIDirectory) throws(RenkeiError) -> [NodePlan] {
        let networkSystemKey = try PeerIdentity.signingKey(of: pki.certificate(for: topology.networkSystem.name))
        var serverKeys = [String: P256.Signing.PublicKey]()
        for spec in topology.intermediateServers {
            serverKeys[spec.name] = try PeerIdentity.signingKey(of: pki.certificate(for: spec.name))
        }
        var plans = [
            NodePlan(name: topology.networkSystem.name, role: .networkSystem, listen: topology.networkSystem.listen, summary: "情報提供ネットワークシステム") {
                [serverKeys] environment throws(RenkeiError) in try await NetworkSystem(environment: environment, intermediateServerKeys: serverKeys)
            },
            NodePlan(
                name: topology.residentRegistry.name, role: .residentRegistry, listen: topology.residentRegistry.listen, summary: "住基ネット (J-LIS)"
            ) {
                environment throws(RenkeiError) in try await ResidentRegistry(environment: environment)
            },
        ]
        for spec in topology.intermediateServers {
            let tenants = spec.tenants.compactMap { topology.organization(id: $0)?.name }.joined(separator: ", ")
            plans.append(
                NodePlan(name: spec.name, role: .intermediateServer, listen: spec.listen, summary: "中間サーバー \(spec.description) — \(tenants)") {
                    environment throws(RenkeiError) in
                    try await IntermediateServer(environment: environment, tenantIDs: spec.tenants, networkSystemKey: networkSystemKey)
                })
        }
        for spec in topology.addressSystems {
            let municipality = topology.organization(id: spec.organization)?.name ?? spec.organization
            plans.append(
                NodePlan(name: spec.name, role: .addressSystem, listen: spec.listen, summary: "団体内統合宛名システム — \(municipality)") {
                    environment throws(RenkeiError) in try await AddressSystem(environment: environment, organizationID: spec.organization)
                })
        }
        return plans
    }
}
