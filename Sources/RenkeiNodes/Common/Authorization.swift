import RenkeiCore
import RenkeiPKI
import RenkeiWire

extension RequestContext {
    /// Refuses the request unless the caller's certificate has one of `roles`.
    func require(_ roles: NodeRole..., for action: String) throws(RenkeiError) {
        guard roles.contains(peer.role) else {
            throw RenkeiError(.peerNotAuthorized, "\(peer) may not \(action); only \(roles.map(\.rawValue).joined(separator: " or ")) may")
        }
    }

    /// Refuses the request unless the caller acts for `organization` (its certificate's 機関コード).
    func requireActing(for organization: Organization, _ action: String) throws(RenkeiError) {
        guard peer.organizationCode == organization.code else {
            throw RenkeiError(.peerNotAuthorized, "\(peer) may not \(action) for \(organization.name) (\(organization.code)); its certificate is for another 機関")
        }
    }
}
