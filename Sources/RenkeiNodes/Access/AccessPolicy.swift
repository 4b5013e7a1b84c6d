public import RenkeiConfig
public import RenkeiCore
public import RenkeiPKI

/// Who may do what to what: the one place a node or an edge decides whether a caller — known
/// by its certificate, never by what a message claims — may make a request. Every refusal is
/// PEER_NOT_AUTHORIZED or SYSTEM_NOT_AUTHORIZED with a sentence naming the caller and what it
/// may not do. The access-control issue (per-事務 rules, staff roles) fills this in.
public struct AccessPolicy: Sendable {
    /// What a caller asks to do, with the resource it is asked of.
    public enum Action: Sendable {
        // 情報提供ネットワークシステム
        /// A 中間サーバー asks for 処理通番 for a 機関 it hosts.
        case obtainProcessingNumbers(for: Organization)
        /// J-LIS forwards 符号取得要求.
        case forwardLinkCodeRequests
        /// A 中間サーバー sends an inquiry of a 機関 it hosts.
        case sendInquiry(inquirer: Organization)
        /// A 中間サーバー relays a manual answer of a provider it hosts.
        case relayManualAnswer(provider: Organization)

        // 住基ネット (J-LIS)
        case registerResidents
        /// The operator, or the 機関's own AddressSystem, asks J-LIS for 符号.
        case requestLinkCodes(for: Organization)

        // 団体内統合宛名システム
        /// A business system of `municipality` uses its AddressSystem (`what`: "inquire" …).
        case useAddressSystem(of: Organization, String)
        case registerAddressSystemPersons

        // 中間サーバー
        /// The network system asks a provider for 特定個人情報.
        case provide
        /// The network system delivers a manual answer to the inquirer.
        case deliverManualAnswer
        /// The network system notifies 符号.
        case notifyLinkCodes
        /// The operator, or the tenant's AddressSystem, starts 符号取得 for the tenant.
        case startAcquisition(tenant: Organization)
        /// The operator registers persons of a tenant without an AddressSystem.
        case registerTenantPersons
        /// The operator, the tenant's AddressSystem, or a business system of the tenant's 機関
        /// works with the tenant's own data (`what`: "register 副本", "read the records").
        case useTenantData(Organization, String)
        case setFlags
        case readManualQueue
        /// The operator reads any person's 副本 (business systems: their 事務's, for staff).
        case readDuplicates
        /// Add, change, disable staff accounts; set passwords; issue API tokens.
        case manageStaff
        case resolveManualQueue

        // the time-stamping authority
        /// A node has its own checkpoint stamped; no one stamps for another.
        case stampCheckpoint(of: String)
        /// A node asks for the newest checkpoint witnessed for itself; the operator for any node.
        case readWitness(of: String)

        // HTTPS edges
        /// A business system uses a node's edge.
        case useBusinessEdge
        /// The operator uses the admin API.
        case useAdminEdge
        /// An admin route: what it shows or changes decides who may call it.
        case administer(AdminScope)
    }

    public let topology: Topology

    public init(topology: Topology) { self.topology = topology }

    /// Refuses `action` unless `caller` may do it.
    public func require(_ caller: PeerIdentity, _ action: Action) throws(RenkeiError) {
        if caller.role == .businessSystem { _ = try liveSystem(caller.name, of: caller.organizationCode) }
        switch action {
        case let .obtainProcessingNumbers(organization):
            try require(caller, is: .intermediateServer, to: "obtain 処理通番")
            try requireHost(caller, of: organization)
        case .forwardLinkCodeRequests:
            try require(caller, is: .residentRegistry, to: "forward 符号取得要求")
        case let .sendInquiry(inquirer):
            try require(caller, is: .intermediateServer, to: "send inquiries to the network system")
            try requireHost(caller, of: inquirer)
        case let .relayManualAnswer(provider):
            try require(caller, is: .intermediateServer, to: "deliver manual answers")
            try requireHost(caller, of: provider)
        case .registerResidents:
            try require(caller, is: .admin, to: "register residents in 住基ネット")
        case let .requestLinkCodes(organization):
            switch caller.role {
            case .admin: break
            case .addressSystem: try requireActing(caller, for: organization, "request 符号取得")
            default: throw RenkeiError(.peerNotAuthorized, "\(caller) may not request 符号取得 through 住基ネット")
            }
        case let .useAddressSystem(municipality, what):
            try require(caller, is: .businessSystem, to: "\(what) through the 団体内統合宛名システム")
            try requireActing(caller, for: municipality, what)
        case .registerAddressSystemPersons:
            try require(caller, is: .admin, to: "register persons in the 団体内統合宛名システム")
        case .provide:
            try require(caller, is: .networkSystem, to: "ask a provider for 特定個人情報")
        case .deliverManualAnswer:
            try require(caller, is: .networkSystem, to: "deliver manual answers")
        case .notifyLinkCodes:
            try require(caller, is: .networkSystem, to: "notify 符号")
        case let .startAcquisition(tenant):
            guard caller.role == .admin || isAddressSystem(caller, of: tenant) else {
                throw RenkeiError(.peerNotAuthorized, "\(caller) may not start 符号取得 for \(tenant.name)")
            }
        case .registerTenantPersons:
            try require(caller, is: .admin, to: "register persons at a 中間サーバー")
        case let .useTenantData(tenant, what):
            let allowed =
                caller.role == .admin || isAddressSystem(caller, of: tenant)
                || (caller.role == .businessSystem && caller.organizationCode == tenant.code)
            guard allowed else { throw RenkeiError(.peerNotAuthorized, "\(caller) may not \(what) for \(tenant.name)") }
        case .setFlags:
            try require(caller, is: .admin, to: "set 自動応答不可 or 不開示 flags")
        case .readManualQueue:
            try require(caller, is: .admin, to: "see the manual-response queue")
        case .readDuplicates:
            try require(caller, is: .admin, to: "read any person's 副本")
        case .manageStaff:
            try require(caller, is: .admin, to: "manage staff accounts")
        case .resolveManualQueue:
            try require(caller, is: .admin, to: "answer the manual-response queue")
        case .useBusinessEdge:
            try requireEdge(caller, for: .businessSystem)
        case .useAdminEdge:
            guard [.admin, .trainer, .tenantAdmin].contains(caller.role) else {
                throw RenkeiError(.peerNotAuthorized, "\(caller) may not use the admin API; it is for the operator, trainers and 機関 administrators")
            }
        case let .administer(scope):
            try requireAdministration(caller, scope)
        case let .stampCheckpoint(node):
            guard Self.witnessedRoles.contains(caller.role), caller.name == node else {
                throw RenkeiError(
                    .peerNotAuthorized, "\(caller) may not have the checkpoints of \(node) stamped; a node has only its own checkpoints stamped")
            }
        case let .readWitness(node):
            guard caller.role == .admin || (Self.witnessedRoles.contains(caller.role) && caller.name == node) else {
                throw RenkeiError(
                    .peerNotAuthorized, "\(caller) may not read what was witnessed for \(node); only that node and the operator (admin) may")
            }
        }
    }

    /// The nodes whose audit logs the time-stamping authority witnesses.
    static let witnessedRoles: Set<NodeRole> = [.networkSystem, .residentRegistry, .intermediateServer, .addressSystem]

    /// The business system a request to `tenant` is made for: the tenant's AddressSystem names
    /// it (`named`), a business system of a 機関 without one is it. Anyone else is refused, and
    /// so is a system that is not the tenant's.
    public func businessSystem(
        _ caller: PeerIdentity, for tenant: Organization, named: String, _ what: String
    ) throws(RenkeiError) -> Topology.BusinessSystemSpec {
        let systemID: String
        switch caller.role {
        case .addressSystem:
            guard isAddressSystem(caller, of: tenant) else {
                throw RenkeiError(.peerNotAuthorized, "\(caller) is not the 団体内統合宛名システム of \(tenant.name)")
            }
            systemID = named
        case .businessSystem:
            try requireActing(caller, for: tenant, what)
            if let addressSystem = topology.addressSystem(for: tenant.id) {
                throw RenkeiError(.peerNotAuthorized, "business systems of \(tenant.name) \(what) through its 団体内統合宛名システム \(addressSystem.name)")
            }
            systemID = caller.name
        default:
            throw RenkeiError(.peerNotAuthorized, "\(caller) may not \(what)")
        }
        let system = try liveSystem(systemID, of: nil)
        guard system.organization == tenant.id else {
            throw RenkeiError(.systemNotAuthorized, "\(systemID) is not a business system of \(tenant.name)")
        }
        return system
    }

    /// A business system of the topology that is in service. One removed from the topology,
    /// or marked `disabled: true`, is refused on every operation whatever its certificate says;
    /// `organization` is the 機関コード its certificate carries, when it is the caller.
    public func liveSystem(_ id: String, of organization: OrganizationCode?) throws(RenkeiError) -> Topology.BusinessSystemSpec {
        guard let system = topology.businessSystem(id: id) else {
            throw RenkeiError(
                .systemNotAuthorized,
                "\(id.isEmpty ? "(no business system)" : id) is not a business system of the topology; a system removed from it is refused on every operation"
            )
        }
        if let organization, topology.organization(id: system.organization)?.code != organization {
            throw RenkeiError(.systemNotAuthorized, "\(id)'s certificate is for \(organization), not for the 機関 the topology gives it")
        }
        guard !system.disabled else {
            throw RenkeiError(.systemNotAuthorized, "\(system.name) (\(id)) is disabled in the topology (disabled: true) and may not be used")
        }
        return system
    }

    /// A business system registers and deletes 副本 only of the 特定個人情報 its 事務 provides.
    public func requireRegistration(by system: Topology.BusinessSystemSpec, of code: InformationCode, at entry: String) throws(RenkeiError) {
        // A code the catalogue does not know is refused by the tenant as UNKNOWN_INFORMATION_CODE, the clearer answer.
        guard system.provides.contains(code) || topology.catalogue.spec(code) == nil else {
            let provided = system.provides.sorted().map(\.rawValue).joined(separator: ", ")
            throw RenkeiError(
                .systemNotAuthorized,
                "\(entry): \(system.name) (\(system.id)) registers 副本 of \(provided.isEmpty ? "no 特定個人情報" : provided) only, not \(code); what its 事務 provides is set in the topology (provides)"
            )
        }
    }

    /// 照会側不開示 hides an exchange from the person's やりとり履歴: only a system whose 事務 is
    /// granted it (`marks_nondisclosure` in the topology) may set it.
    public func requireNondisclosure(by system: Topology.BusinessSystemSpec) throws(RenkeiError) {
        guard system.marksNondisclosure else {
            throw RenkeiError(
                .systemNotAuthorized,
                "\(system.name) (\(system.id)) may not mark an inquiry 照会側不開示: it would hide the exchange from the person's やりとり履歴; the topology grants it per system (marks_nondisclosure: true)"
            )
        }
    }

    /// The result of an inquiry is read only by the business system that asked it.
    public func requireResult(of reception: String, askedBy owner: String, readBy system: Topology.BusinessSystemSpec) throws(RenkeiError) {
        guard owner == system.id else {
            throw RenkeiError(
                .systemNotAuthorized,
                "受付番号 \(reception) was not asked by \(system.id); only the business system that made an inquiry reads its result")
        }
    }

    /// The 情報提供等記録 a business system reads: those of its own 事務 — the inquiries under
    /// its items, the provisions of what it provides.
    public func recordIsVisible(_ record: ProvisionRecord, to system: Topology.BusinessSystemSpec) -> Bool {
        switch record.party {
        case .inquirer: system.items.contains { $0.overlaps(record.item) }
        case .provider: record.informationCodes.contains { system.provides.contains($0) }
        case .network: false
        }
    }

    /// A business system inquires only under the items of its 事務, cited in either numbering.
    public func requireInquiry(by system: Topology.BusinessSystemSpec, under item: ItemReference) throws(RenkeiError) {
        guard system.items.contains(where: { $0.overlaps(item) }) else {
            let allowed = system.items.map(\.japanese).joined(separator: ", ")
            throw RenkeiError(
                .systemNotAuthorized,
                "\(system.name) (\(system.id)) may inquire under \(allowed) only, not \(item.japanese); its 事務 is set in the topology"
            )
        }
    }

    // MARK: the rules the actions are made of

    private func require(_ caller: PeerIdentity, is role: NodeRole, to action: String) throws(RenkeiError) {
        guard caller.role == role else {
            throw RenkeiError(.peerNotAuthorized, "\(caller) may not \(action); only \(role.rawValue) may")
        }
    }

    /// The caller acts for `organization`: its certificate carries that 機関コード.
    private func requireActing(_ caller: PeerIdentity, for organization: Organization, _ action: String) throws(RenkeiError) {
        guard caller.organizationCode == organization.code else {
            throw RenkeiError(
                .peerNotAuthorized, "\(caller) may not \(action) for \(organization.name) (\(organization.code)); its certificate is for another 機関")
        }
    }

    /// The caller is the 中間サーバー that hosts `organization`.
    private func requireHost(_ caller: PeerIdentity, of organization: Organization) throws(RenkeiError) {
        guard topology.intermediateServer(hosting: organization.id)?.name == caller.name else {
            throw RenkeiError(.peerNotAuthorized, "\(caller) does not host \(organization.name) (\(organization.code)) and may not act for it")
        }
    }

    /// The caller is the 団体内統合宛名システム of `tenant`'s 機関.
    private func isAddressSystem(_ caller: PeerIdentity, of tenant: Organization) -> Bool {
        caller.role == .addressSystem && caller.organizationCode == tenant.code && topology.addressSystem(for: tenant.id)?.name == caller.name
    }

    /// The three operator roles of the admin API: the platform operator runs the nodes and sees
    /// metadata; a trainer runs the exercise; a 機関's administrator manages that 機関 only.
    private func requireAdministration(_ caller: PeerIdentity, _ scope: AdminScope) throws(RenkeiError) {
        switch scope {
        case let .observe(what):
            guard caller.role == .admin || caller.role == .trainer else {
                throw RenkeiError(.peerNotAuthorized, "\(caller) may not \(what); the platform operator and trainers may")
            }
        case let .runExercise(what):
            guard caller.role == .admin || caller.role == .trainer else {
                throw RenkeiError(.peerNotAuthorized, "\(caller) may not \(what); the platform operator and trainers may")
            }
        case let .manageTenant(tenant, what):
            guard caller.role == .tenantAdmin, caller.organizationCode == tenant.code else {
                throw RenkeiError(
                    .peerNotAuthorized,
                    "\(caller) may not \(what) of \(tenant.name); only \(tenant.name)'s administrator (\(Topology.tenantAdminName(tenant.id))) may")
            }
        }
    }

    private func requireEdge(_ caller: PeerIdentity, for role: NodeRole) throws(RenkeiError) {
        guard caller.role == role else {
            throw RenkeiError(.peerNotAuthorized, "\(caller) may not use this interface; it is for \(role.rawValue)")
        }
    }
}

/// What an admin route touches, for `AccessPolicy.Action.administer`.
public enum AdminScope: Sendable {
    /// Metadata: status, the journal, verification, the queues' entries, faults in force.
    case observe(String)
    /// The exercise: reset to a scenario, upload one, inject or clear faults.
    case runExercise(String)
    /// One 機関's data: its flags, its manual queue, its staff.
    case manageTenant(Organization, String)
}
