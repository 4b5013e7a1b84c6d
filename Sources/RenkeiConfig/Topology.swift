import Foundation
public import RenkeiCore

/// A whole linkage network as configured: nodes, organisations, business systems, the
/// rules and catalogue they use, and the population to seed.
public struct Topology: Sendable {
    public struct NetworkSystemSpec: Sendable, Hashable {
        public let name: String
        public var listen: Endpoint
        public let permitLifetime: Duration
        public var permitProtection: PermitProtection
        /// Whether provided 副本 travel sealed for the inquiring tenant (ECDH per tenant pair,
        /// AES-GCM), so that the network system relays ciphertext it cannot read.
        public var sealContent = true
        /// Where its state, records and audit log live when it keeps them in PostgreSQL
        /// (`postgres:`); nil keeps them in its SQLite file.
        public var postgres: PostgresLocation?
        /// The addresses of its replicas after the first (`replicas:`): each is another process
        /// with the same certificate and the same PostgreSQL store; 中間サーバー and J-LIS spread
        /// their calls over all of them.
        public var replicas: [Endpoint] = []
    }

    /// How the network system protects a 情報提供許可証 (the real mechanism is not public,
    /// domain.md §13 #1, so both are offered).
    public enum PermitProtection: String, Sendable, Hashable, CaseIterable {
        /// An ECDSA P-256 signature by the network system: anyone with its certificate can
        /// check it. About 0.1 ms of CPU per inquiry on the reference machine.
        case signature
        /// An HMAC-SHA256 tag under a key the network system and the provider's 中間サーバー
        /// agree (ECDH) from their certified keys: only those two can make or check it.
        /// A few microseconds per inquiry.
        case mac
    }

    public struct NodeSpec: Sendable, Hashable {
        public let name: String
        public var listen: Endpoint
    }

    public struct IntermediateServerSpec: Sendable, Hashable {
        public let name: String
        public let description: String
        public var listen: Endpoint
        /// The HTTPS edge for business systems of tenants without an AddressSystem.
        public var edge: Endpoint?
        /// Organisation ids of the tenants it hosts.
        public let tenants: [String]
    }

    public struct AddressSystemSpec: Sendable, Hashable {
        public let name: String
        public let organization: String
        public var listen: Endpoint
        /// The HTTPS edge for the municipality's business systems.
        public var edge: Endpoint?
    }

    public struct BusinessSystemSpec: Sendable, Hashable {
        /// `org/system`, e.g. tomakomai/kokuho; also its certificate's common name.
        public let id: String
        public let name: String
        public let organization: String
        /// The items its 事務 inquires under, in both numberings.
        public let items: [ItemReference]
        /// The 特定個人情報 its 事務 holds and provides: the TM codes whose 副本 it may register
        /// and delete, and whose provision records it reads.
        public let provides: Set<InformationCode>
        /// Kept in the topology but refused on every operation (a system taken out of service).
        public let disabled: Bool
        /// Its 事務 may mark an inquiry 照会側不開示 (hidden from the person's やりとり履歴); a
        /// system without the grant is refused, so that no caller hides a real exchange at will.
        public let marksNondisclosure: Bool

        public init(
            id: String, name: String, organization: String, items: [ItemReference], provides: Set<InformationCode> = [], disabled: Bool = false,
            marksNondisclosure: Bool = false
        ) {
            self.id = id
            self.name = name
            self.organization = organization
            self.items = items
            self.provides = provides
            self.disabled = disabled
            self.marksNondisclosure = marksNondisclosure
        }
    }

    public struct WireSettings: Sendable, Hashable {
        public var connectionsPerPeer: Int
        public var maximumFrameBytes: Int
        public var timeout: Duration
    }

    /// How staff accounts are checked and protected.
    public struct StaffSettings: Sendable, Hashable {
        /// Whether every inquiry and registration by a business system must name an operator.
        public var requireOperator: Bool = true
        /// Failed sign-ins in a row that lock an account, and for how long.
        public var lockoutAfterFailures: Int = 5
        public var lockout: Duration = .seconds(15 * 60)
        /// How long a session token lives after sign-in.
        public var session: Duration = .seconds(8 * 3600)
        /// bcrypt cost (log2 of the rounds).
        public var passwordCost: Int = 12
        /// The accounts of the staff file, seeded into each 機関 that lacks them.
        public var accounts: [SeededAccount] = []

        public init() {}
    }

    /// One account of the staff file and the 機関 it belongs to.
    public struct SeededAccount: Sendable, Hashable {
        public let organization: String
        public let account: StaffAccount

        public init(organization: String, account: StaffAccount) {
            self.organization = organization
            self.account = account
        }
    }

    /// The training console (HTTPS, staff sign in with their passwords).
    public struct ConsoleSettings: Sendable, Hashable {
        /// A member of staff who may run exercises for a class: sees every trainee, resets
        /// exercises and the network, injects faults.
        public struct Trainer: Sendable, Hashable {
            public let organization: String
            public let userID: String

            public init(organization: String, userID: String) {
                self.organization = organization
                self.userID = userID
            }
        }

        public var listen: Endpoint
        /// A session ends after this long without a request.
        public var idle: Duration = .seconds(30 * 60)
        /// The exercises' folder, relative to the topology file.
        public var exercises = "exercises"
        public var trainers: Set<Trainer> = []

        public init(listen: Endpoint) { self.listen = listen }
    }

    /// Where each node serves its Prometheus metrics (plain HTTP GET /metrics): its own host,
    /// its linkage port plus `portOffset`, unless an address is given for NODE.metrics.
    public struct MetricsSettings: Sendable, Hashable {
        public var portOffset: Int
        public var addresses: [String: Endpoint] = [:]

        public init(portOffset: Int) { self.portOffset = portOffset }
    }

    /// The tester's admin API (operator certificate only).
    public var admin: Endpoint?
    /// The nodes' /metrics; nil serves none.
    public var metrics: MetricsSettings?
    /// The training console; nil when the topology has none.
    public var console: ConsoleSettings?
    public var networkSystem: NetworkSystemSpec
    public var residentRegistry: NodeSpec
    /// The witness of every node's audit log (RFC 3161 time-stamps); nil leaves the logs
    /// unwitnessed, and `renkei audit verify` says so.
    public var timeStampAuthority: NodeSpec?
    public let organizations: [Organization]
    public let registers: [String: RegisterBasis]
    public var intermediateServers: [IntermediateServerSpec]
    public var addressSystems: [AddressSystemSpec]
    public var businessSystems: [BusinessSystemSpec]
    public var population: PopulationPlan
    public var wire: WireSettings
    public var staff = StaffSettings()
    /// How long an inquiry waits in a provider's manual-response queue before it is answered
    /// with MANUAL_RESPONSE_TIMEOUT.
    public var manualResponseTimeout: Duration
    /// 別表第二 and the 2024 ordinance, and which is in force when.
    public let rules: RuleBook
    public let catalogue: InformationCatalogue

    private let organizationsByID: [String: Organization]
    private let organizationsByCode: [OrganizationCode: Organization]

    init(
        admin: Endpoint?, networkSystem: NetworkSystemSpec, residentRegistry: NodeSpec, organizations: [Organization],
        registers: [String: RegisterBasis],
        intermediateServers: [IntermediateServerSpec], addressSystems: [AddressSystemSpec], businessSystems: [BusinessSystemSpec],
        population: PopulationPlan, wire: WireSettings, manualResponseTimeout: Duration, rules: RuleBook, catalogue: InformationCatalogue
    ) {
        self.admin = admin
        self.networkSystem = networkSystem
        self.residentRegistry = residentRegistry
        self.organizations = organizations
        self.registers = registers
        self.intermediateServers = intermediateServers
        self.addressSystems = addressSystems
        self.businessSystems = businessSystems
        self.population = population
        self.wire = wire
        self.manualResponseTimeout = manualResponseTimeout
        self.rules = rules
        self.catalogue = catalogue
        self.organizationsByID = Dictionary(uniqueKeysWithValues: organizations.map { ($0.id, $0) })
        self.organizationsByCode = Dictionary(uniqueKeysWithValues: organizations.map { ($0.code, $0) })
    }

    public func organization(id: String) -> Organization? { organizationsByID[id] }
    public func organization(code: OrganizationCode) -> Organization? { organizationsByCode[code] }

    /// An organisation named by its id (tomakomai) or 機関コード.
    public func organization(named text: String) -> Organization? {
        if let organization = organizationsByID[text] { return organization }
        if let code = try? OrganizationCode(text) { return organizationsByCode[code] }
        return nil
    }

    public func intermediateServer(hosting organizationID: String) -> IntermediateServerSpec? {
        intermediateServers.first { $0.tenants.contains(organizationID) }
    }

    public func addressSystem(for organizationID: String) -> AddressSystemSpec? {
        addressSystems.first { $0.organization == organizationID }
    }

    public func businessSystem(id: String) -> BusinessSystemSpec? { businessSystems.first { $0.id == id } }

    /// Every HTTPS edge as (node name, address).
    public var edges: [(node: String, listen: Endpoint)] {
        addressSystems.compactMap { spec in spec.edge.map { (spec.name, $0) } }
            + intermediateServers.compactMap { spec in spec.edge.map { (spec.name, $0) } }
    }

    /// Every node as (name, role, listen address), in start order: the witness first, so that
    /// every other node can check its log against it before it serves.
    public var nodes: [(name: String, role: NodeRole, listen: Endpoint)] {
        (timeStampAuthority.map { [($0.name, NodeRole.timeStampAuthority, $0.listen)] } ?? [])
            + [(networkSystem.name, .networkSystem, networkSystem.listen), (residentRegistry.name, .residentRegistry, residentRegistry.listen)]
            + intermediateServers.map { ($0.name, .intermediateServer, $0.listen) }
            + addressSystems.map { ($0.name, .addressSystem, $0.listen) }
    }

    /// The same topology with every node on an ephemeral loopback port, for tests and for
    /// running several networks side by side.
    public func withEphemeralPorts() -> Topology {
        var copy = self
        copy.networkSystem.listen = Endpoint(host: "127.0.0.1", port: 0)
        copy.networkSystem.replicas = copy.networkSystem.replicas.map { _ in Endpoint(host: "127.0.0.1", port: 0) }
        copy.residentRegistry.listen = Endpoint(host: "127.0.0.1", port: 0)
        copy.timeStampAuthority?.listen = Endpoint(host: "127.0.0.1", port: 0)
        let ephemeral = Endpoint(host: "127.0.0.1", port: 0)
        for index in copy.intermediateServers.indices {
            copy.intermediateServers[index].listen = ephemeral
            if copy.intermediateServers[index].edge != nil { copy.intermediateServers[index].edge = ephemeral }
        }
        for index in copy.addressSystems.indices {
            copy.addressSystems[index].listen = ephemeral
            if copy.addressSystems[index].edge != nil { copy.addressSystems[index].edge = ephemeral }
        }
        if copy.admin != nil { copy.admin = ephemeral }
        copy.console?.listen = ephemeral
        copy.metrics?.addresses = [:]
        return copy
    }
}

extension Topology {
    /// The same topology with the addresses of `entries` in place of the configured ones, keyed
    /// as `renkei up` writes them to endpoints.json: NODE (its linkage port), NODE.edge (its
    /// HTTPS edge), admin and console. Nodes in their own processes read them so that all agree
    /// on where everyone listens, ephemeral ports included.
    public func withAddresses(_ entries: [String: Endpoint]) -> Topology {
        var copy = self
        if let address = entries[networkSystem.name] { copy.networkSystem.listen = address }
        for replica in replicaInstances { if let address = entries[replica.name] { copy.networkSystem.replicas[replica.number - 2] = address } }
        if let address = entries[residentRegistry.name] { copy.residentRegistry.listen = address }
        if let name = timeStampAuthority?.name, let address = entries[name] { copy.timeStampAuthority?.listen = address }
        for index in copy.intermediateServers.indices {
            let name = copy.intermediateServers[index].name
            if let address = entries[name] { copy.intermediateServers[index].listen = address }
            if copy.intermediateServers[index].edge != nil, let address = entries["\(name).edge"] { copy.intermediateServers[index].edge = address }
        }
        for index in copy.addressSystems.indices {
            let name = copy.addressSystems[index].name
            if let address = entries[name] { copy.addressSystems[index].listen = address }
            if copy.addressSystems[index].edge != nil, let address = entries["\(name).edge"] { copy.addressSystems[index].edge = address }
        }
        if copy.admin != nil, let address = entries["admin"] { copy.admin = address }
        if copy.console != nil, let address = entries["console"] { copy.console?.listen = address }
        for name in nodes.map(\.name) + replicaInstances.map(\.name) {
            if let address = entries["\(name).metrics"] { copy.metrics?.addresses[name] = address }
        }
        return copy
    }

    /// Where node `name` serves /metrics: nil when the topology has no metrics; port 0 (ephemeral)
    /// when its linkage port is.
    public func metricsAddress(of name: String) -> Endpoint? {
        guard let metrics, let listen = nodes.first(where: { $0.name == name })?.listen ?? replicaInstances.first(where: { $0.name == name })?.listen
        else { return nil }
        if let address = metrics.addresses[name] { return address }
        return Endpoint(host: listen.host, port: listen.port == 0 ? 0 : listen.port + metrics.portOffset)
    }

    /// Every address the topology listens on, keyed as `withAddresses` reads them.
    public var addresses: [String: Endpoint] {
        var entries = [String: Endpoint]()
        for node in nodes { entries[node.name] = node.listen }
        for edge in edges { entries["\(edge.node).edge"] = edge.listen }
        if let admin { entries["admin"] = admin }
        if let console { entries["console"] = console.listen }
        for replica in replicaInstances { entries[replica.name] = replica.listen }
        for name in nodes.map(\.name) + replicaInstances.map(\.name) {
            if let address = metricsAddress(of: name) { entries["\(name).metrics"] = address }
        }
        return entries
    }
}

extension Topology {
    /// The network system's replicas after the first, as processes to run: `nws#2`, `nws#3` …
    /// (the first is the node itself, `nws`). Each has its own address and metrics address, and
    /// the node's certificate, keys and store.
    public var replicaInstances: [(name: String, number: Int, listen: Endpoint)] {
        networkSystem.replicas.enumerated().map { index, listen in ("\(networkSystem.name)#\(index + 2)", index + 2, listen) }
    }

    /// The node an instance name runs (`nws#2` runs nws), and the topology as that instance
    /// sees it: the network system at the replica's own addresses. Nil for a name that is
    /// neither a node nor a replica.
    public func instance(_ name: String) -> (node: String, topology: Topology)? {
        if nodes.contains(where: { $0.name == name }) { return (name, self) }
        guard let replica = replicaInstances.first(where: { $0.name == name }) else { return nil }
        var copy = self
        copy.networkSystem.listen = replica.listen
        if let address = metricsAddress(of: replica.name) { copy.metrics?.addresses[networkSystem.name] = address }
        return (networkSystem.name, copy)
    }
}

extension Topology {
    /// A TM code as given, or the catalogue's only code for an information class or its
    /// abbreviation (地方税関係情報, TAX).
    public func informationCode(for text: String) throws(RenkeiError) -> InformationCode {
        if let code = try? InformationCode(text) { return code }
        guard let informationClass = rules.informationClass(named: text) else {
            throw RenkeiError(
                .unknownInformationCode, "\(text.excerpt(32)) is neither a 特定個人情報名コード (TM + 14 digits) nor an information class of 別表第二")
        }
        let matches = catalogue.information.filter { $0.informationClass == informationClass }
        guard matches.count == 1, let only = matches.first else {
            throw RenkeiError(
                .unknownInformationCode,
                matches.isEmpty
                    ? "the layout catalogue has no 特定個人情報名 of \(informationClass)"
                    : "\(informationClass) has several 特定個人情報名 (\(matches.map(\.code.rawValue).joined(separator: ", "))); give the TM code")
        }
        return only.code
    }

    /// An organisation by id or 機関コード, or a refusal that lists the known ones.
    public func requireOrganization(_ text: String, role: String) throws(RenkeiError) -> Organization {
        guard let organization = organization(named: text) else {
            throw RenkeiError(
                .unknownOrganization,
                "no \(role) \(text.excerpt(32)) takes part in this linkage (known: \(organizations.map(\.id).joined(separator: ", ")))")
        }
        return organization
    }
}
