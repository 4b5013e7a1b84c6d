import Crypto
import Foundation
public import RenkeiConfig
public import RenkeiCore
public import RenkeiPKI
import RenkeiTimeStamp

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
        // Permits are sealed and checked with the permit keys, not the TLS keys, so a renewed
        // certificate changes neither the signatures nor the agreed MAC keys.
        let networkSystemKey = try pki.keys.publicKey(topology.networkSystem.name, .permit)
        let networkSystemPermitKey = try pki.keys.signingKey(topology.networkSystem.name, .permit)
        let linkCodeSecret = try pki.keys.secret(topology.networkSystem.name, .linkCode)
        // The tenants' content keys, for 副本 sealed between them (never read by the network system).
        var contentKeys: (own: [String: P256.Signing.PrivateKey], all: [OrganizationCode: P256.Signing.PublicKey])?
        if topology.networkSystem.sealContent {
            var keys = (own: [String: P256.Signing.PrivateKey](), all: [OrganizationCode: P256.Signing.PublicKey]())
            for id in topology.tenantIDs {
                guard let organization = topology.organization(id: id) else { continue }
                keys.own[id] = try pki.keys.signingKey(id, .content)
                keys.all[organization.code] = try pki.keys.publicKey(id, .content)
            }
            contentKeys = keys
        }
        var serverKeys = [String: P256.Signing.PublicKey]()
        var serverPermitKeys = [String: P256.Signing.PrivateKey]()
        for spec in topology.intermediateServers {
            serverKeys[spec.name] = try pki.keys.publicKey(spec.name, .permit)
            serverPermitKeys[spec.name] = try pki.keys.signingKey(spec.name, .permit)
        }
        var plans = [NodePlan]()
        if let authority = topology.timeStampAuthority {
            let signer = TimeStampSigner(
                certificatePEM: try Self.text(pki.stampingCertificateURL(for: authority.name)),
                keyPEM: try Self.text(pki.keys.file(authority.name, .stamping)))
            var checkpointKeys = [String: P256.Signing.PublicKey]()
            for node in topology.nodes where node.role != .timeStampAuthority {
                checkpointKeys[node.name] = try pki.keys.publicKey(node.name, .checkpoint)
            }
            plans.append(
                NodePlan(
                    name: authority.name, role: .timeStampAuthority, listen: authority.listen,
                    summary: "時刻認証局 (RFC 3161) — the witness of every audit log"
                ) {
                    [checkpointKeys] environment throws(RenkeiError) in
                    try await TimeStampAuthority(environment: environment, signer: signer, checkpointKeys: checkpointKeys)
                })
        }
        plans += [
            NodePlan(name: topology.networkSystem.name, role: .networkSystem, listen: topology.networkSystem.listen, summary: "情報提供ネットワークシステム") {
                [serverKeys] environment throws(RenkeiError) in
                try await NetworkSystem(
                    environment: environment, permitKey: networkSystemPermitKey, linkCodeSecret: linkCodeSecret, intermediateServerKeys: serverKeys)
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
                    [serverPermitKeys, contentKeys] environment throws(RenkeiError) in
                    guard let permitKey = serverPermitKeys[spec.name] else {
                        throw RenkeiError(.keyMissing, "no permit key for \(spec.name)")
                    }
                    // A 中間サーバー holds the private content keys of its own tenants only.
                    let ownContentKeys = contentKeys.map { keys in
                        (own: keys.own.filter { spec.tenants.contains($0.key) }, all: keys.all)
                    }
                    return try await IntermediateServer(
                        environment: environment, tenantIDs: spec.tenants, networkSystemKey: networkSystemKey, permitKey: permitKey,
                        contentKeys: ownContentKeys)
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

    static func text(_ url: URL) throws(RenkeiError) -> String {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw RenkeiError(.keyMissing, "cannot read \(url.path); run `renkei certs generate`")
        }
        return text
    }
}
