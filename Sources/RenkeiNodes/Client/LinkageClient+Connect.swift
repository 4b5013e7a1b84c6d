public import Logging
public import RenkeiConfig
public import RenkeiCore
public import RenkeiPKI
import RenkeiWire

extension LinkageClient {
    /// Where business system `systemID` sends its requests: its 機関's 団体内統合宛名システム,
    /// or the 中間サーバー hosting its tenant when the 機関 has none. The one place this is decided.
    public static func route(for systemID: String, in topology: Topology) throws(RenkeiError) -> (route: Route, node: String) {
        guard let system = topology.businessSystem(id: systemID) else {
            let known = topology.businessSystems.map(\.id).joined(separator: ", ")
            throw RenkeiError(.systemNotAuthorized, "\(systemID) is not a business system of this topology (known: \(known))")
        }
        if let addressSystem = topology.addressSystem(for: system.organization) {
            return (.addressSystem, addressSystem.name)
        }
        guard let organization = topology.organization(id: system.organization), let host = topology.intermediateServer(hosting: system.organization)
        else {
            throw RenkeiError(.unknownOrganization, "no 中間サーバー hosts \(system.organization)")
        }
        return (.tenant(organization.code), host.name)
    }

    /// A client over mutual TLS as business system `systemID`, with its certificate
    /// (`credentials`), to the node `address(name)` says is where; the one `renkei inquire` and
    /// `renkei load` use.
    public static func connect(
        as systemID: String, topology: Topology, credentials: Credentials, connections: Int = 1, logger: Logger, address: (String) -> Endpoint?
    ) throws(RenkeiError) -> LinkageClient {
        let (route, node) = try route(for: systemID, in: topology)
        guard let endpoint = address(node) else {
            throw RenkeiError(.invalidConfiguration, "no address is known for \(node), the node that serves \(systemID)")
        }
        let client = try RPCClient(
            configuration: .init(
                target: endpoint, expectedPeer: node, expectedRole: topology.certificateRole(of: node),
                connections: connections,
                maximumFrameBytes: topology.wire.maximumFrameBytes),
            credentials: credentials, logger: logger
        )
        return LinkageClient(route: route, transport: .wire(client))
    }
}

/// The linkage as a node's own HTTPS edge reaches it: in process, as the caller the edge
/// authenticated by its certificate.
public struct EdgeLinkage: Sendable {
    let router: RPCRouter
    /// A 中間サーバー's edge serves the business systems of its tenants without an AddressSystem.
    let servesTenants: Bool

    init(router: RPCRouter, servesTenants: Bool) {
        self.router = router
        self.servesTenants = servesTenants
    }

    /// The client for one request of `caller`.
    package func client(for caller: PeerIdentity) throws(RenkeiError) -> LinkageClient {
        guard servesTenants else { return LinkageClient(route: .addressSystem, transport: .inProcess(router, caller: caller)) }
        guard let code = caller.organizationCode else {
            throw RenkeiError(.peerNotAuthorized, "\(caller) acts for no 機関")
        }
        return LinkageClient(route: .tenant(code), transport: .inProcess(router, caller: caller))
    }
}
