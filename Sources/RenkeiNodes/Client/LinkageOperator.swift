public import Logging
public import NIOCore
public import RenkeiConfig
public import RenkeiCore
public import RenkeiPKI
import RenkeiWire

/// The operator's view of the 中間サーバー: the manual-response queue, the 自動応答不可 and
/// 不開示 flags, and the tenants' staff accounts. Used by the admin API, as the operator certificate.
public struct LinkageOperator: Sendable {
    let topology: Topology
    let peers: PeerDirectory

    public init(topology: Topology, endpoints: EndpointTable, credentials: Credentials, logger: Logger) {
        self.topology = topology
        peers = PeerDirectory(endpoints: endpoints, credentials: credentials, topology: topology, logger: logger)
    }

    private func host(of organization: Organization) throws(RenkeiError) -> String {
        guard let host = topology.intermediateServer(hosting: organization.id) else {
            throw RenkeiError(.unknownOrganization, "no 中間サーバー hosts \(organization.name)")
        }
        return host.name
    }

    /// The inquiries waiting for staff: of one tenant, or of every 中間サーバー.
    public func queue(of tenant: Organization?, deadline: NIODeadline) async throws(RenkeiError) -> [QueueEntry] {
        let hosts = try tenant.map { organization throws(RenkeiError) in [try host(of: organization)] } ?? topology.intermediateServers.map(\.name)
        var entries = [QueueEntry]()
        for host in hosts {
            entries += try await peers.client(host).call(Methods.queue, QueueRequest(tenant: tenant?.code.rawValue ?? ""), deadline: deadline).entries
        }
        return entries
    }

    /// Provides (from the 副本) or withholds one queued inquiry.
    public func resolve(_ receptionNumber: String, of tenant: Organization, provide: Bool, deadline: NIODeadline) async throws(RenkeiError) {
        var resolution = QueueResolution()
        resolution.tenant = tenant.code.rawValue
        resolution.receptionNumber = receptionNumber
        resolution.provide = provide
        _ = try await peers.client(try host(of: tenant)).call(Methods.resolve, resolution, deadline: deadline)
    }

    /// Sets or clears flags of one tenant.
    public func setFlags(_ flags: [FlagRegistration.Flag], of tenant: Organization, deadline: NIODeadline) async throws(RenkeiError) {
        var registration = FlagRegistration()
        registration.tenant = tenant.code.rawValue
        registration.flags = flags
        _ = try await peers.client(try host(of: tenant)).call(Methods.flags, registration, deadline: deadline)
    }

    /// Staff accounts of one tenant: list, add or change, disable, set a password, issue a token.
    public func staff(_ request: StaffRequest, of tenant: Organization, deadline: NIODeadline) async throws(RenkeiError) -> StaffResponse {
        var request = request
        request.tenant = tenant.code.rawValue
        return try await peers.client(try host(of: tenant)).call(Methods.staff, request, deadline: deadline)
    }

    public func shutdown() async { await peers.shutdown() }
}
