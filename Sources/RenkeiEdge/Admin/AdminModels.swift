import Foundation
public import RenkeiCore
public import RenkeiNodes

struct ResetBody: Decodable {
    var scenario: String
}

/// A fault as POST /admin/faults takes it, and as the trainer's console page fills it in: the
/// one place a fault's fields are checked (`fault()`) and a fault is added (`inject(into:)`).
public struct FaultBody: Codable, Sendable {
    /// latency, error, offline, link-code-missing, expired-certificate
    public var kind: String
    public var node: String?
    public var tenant: String?
    public var information: String?
    /// fixed (default), uniform or exponential
    public var distribution: String?
    public var latencyMs: Int?
    public var latencyMinMs: Int?
    public var latencyMaxMs: Int?
    public var errorCode: String?
    public var message: String?
    public var probability: Double?
    public var count: Int?
    public var id: String?

    public init(kind: String) { self.kind = kind }
}

struct FlagBody: Decodable {
    var organization: String
    var addressNumber: String?
    var information: String?
    /// manual_response or nondisclosure
    var kind: String
    var enabled: Bool?
}

struct QueueEntryBody: Encodable {
    let receptionNumber: String
    let tenant: String
    let inquirer: String
    let item: String
    let information: String
    let queuedAt: String
    let deadline: String
}

extension FaultBody {
    public init(_ fault: Fault) {
        id = fault.id
        node = fault.target.node
        tenant = fault.target.tenant
        information = fault.target.information?.rawValue
        probability = fault.probability
        count = fault.remaining
        switch fault.kind {
        case let .latency(latency):
            kind = "latency"
            switch latency {
            case let .fixed(milliseconds):
                distribution = "fixed"
                latencyMs = milliseconds
            case let .uniform(minimum, maximum):
                distribution = "uniform"
                latencyMinMs = minimum
                latencyMaxMs = maximum
            case let .exponential(mean):
                distribution = "exponential"
                latencyMs = mean
            }
        case let .error(code, text):
            kind = "error"
            errorCode = code.rawValue
            message = text
        case .offline: kind = "offline"
        case .linkCodeMissing: kind = "link-code-missing"
        case .expiredCertificate: kind = "expired-certificate"
        }
    }

    /// Adds the fault to `network`, its target checked against the topology.
    public func inject(into network: LinkageNetwork) throws(RenkeiError) -> Fault {
        let (kind, target) = try fault()
        let topology = network.topology
        if let node = target.node, !topology.nodes.contains(where: { $0.name == node }), topology.businessSystem(id: node) == nil {
            throw RenkeiError(.unknownOrganization, "no node or business system \(node)")
        }
        if let tenant = target.tenant, topology.organization(id: tenant) == nil {
            throw RenkeiError(.unknownOrganization, "no organization \(tenant)")
        }
        return network.control.faults.add(kind: kind, target: target, probability: probability ?? 1, count: count)
    }

    func fault() throws(RenkeiError) -> (Fault.Kind, Fault.Target) {
        let target = Fault.Target(
            node: node, tenant: tenant,
            information: try information.map { text throws(RenkeiError) in
                do throws(IdentifierError) { return try InformationCode(text) } catch { throw RenkeiError(error) }
            }
        )
        guard target.node != nil || target.tenant != nil else {
            throw RenkeiError(.invalidRequest, "a fault needs a target: node (a node or business system name) or tenant (an organization id)")
        }
        let kind: Fault.Kind
        switch self.kind {
        case "latency":
            switch distribution ?? "fixed" {
            case "fixed":
                guard let ms = latencyMs, (0...60_000).contains(ms) else { throw RenkeiError(.invalidRequest, "latencyMs must be 0 to 60000") }
                kind = .latency(.fixed(milliseconds: ms))
            case "uniform":
                guard let low = latencyMinMs, let high = latencyMaxMs, 0 <= low, low <= high, high <= 60_000 else {
                    throw RenkeiError(.invalidRequest, "uniform latency needs 0 ≤ latencyMinMs ≤ latencyMaxMs ≤ 60000")
                }
                kind = .latency(.uniform(minimum: low, maximum: high))
            case "exponential":
                guard let mean = latencyMs, (1...60_000).contains(mean) else {
                    throw RenkeiError(.invalidRequest, "exponential latency needs latencyMs (the mean), 1 to 60000")
                }
                kind = .latency(.exponential(meanMilliseconds: mean))
            default:
                throw RenkeiError(.invalidRequest, "distribution is fixed, uniform or exponential")
            }
        case "error":
            guard let code = errorCode, !code.isEmpty, code.count <= 64 else { throw RenkeiError(.invalidRequest, "an error fault needs errorCode") }
            kind = .error(ErrorCode(rawValue: code), message ?? "")
        case "offline": kind = .offline
        case "link-code-missing":
            guard target.tenant != nil else { throw RenkeiError(.invalidRequest, "link-code-missing targets an inquirer tenant (organization id)") }
            kind = .linkCodeMissing
        case "expired-certificate":
            guard target.node != nil else { throw RenkeiError(.invalidRequest, "expired-certificate targets a certificate holder (node)") }
            kind = .expiredCertificate
        default:
            throw RenkeiError(.invalidRequest, "kind is latency, error, offline, link-code-missing or expired-certificate")
        }
        if let probability, !(probability > 0 && probability <= 1) { throw RenkeiError(.invalidRequest, "probability must be above 0 and at most 1") }
        if let count, count < 1 { throw RenkeiError(.invalidRequest, "count must be 1 or more") }
        return (kind, target)
    }
}

/// GET/PUT /admin/staff/…: the accounts, and a generated password or new API token shown once.
struct StaffListBody: Encodable {
    let organization: String
    let accounts: [StaffBody]
    let secret: String?
}

/// POST /admin/staff/{organization}/{userId}/password: the new password, or none to generate one.
struct PasswordBody: Decodable {
    var password: String?
}
