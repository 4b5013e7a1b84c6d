import Crypto
public import RenkeiConfig
public import RenkeiCore
public import RenkeiPKI
public import RenkeiStore
import RenkeiWire

/// Loads a scenario's synthetic population straight into the nodes' stores, the way the
/// nodes themselves would have recorded it: residents at J-LIS, people at each
/// 団体内統合宛名システム (or, for a 機関 without one, its tenant), 符号 at each tenant made
/// exactly as the network system makes them, 副本 at each provider, and the scenario's flags.
///
/// Writing the stores directly is what makes 100,000 people take seconds; the network's own
/// 符号取得 path is the same arithmetic, and stays for people added later.
public struct DataSeeder: Sendable {
    public struct Summary: Sendable, Codable, Hashable {
        public var scenario = ""
        public var seed: UInt64 = 0
        /// The day the population describes (ages, fiscal years).
        public var referenceDate = ""
        public var persons = 0
        public var cities: [String: Int] = [:]
        public var registered = 0
        public var linkCodes = 0
        public var duplicates = 0
        public var flags = 0
    }

    let topology: Topology
    let cipher: LinkCodeCipher

    /// The 符号 are made with the network system's 符号 secret, from `pki`.
    public init(topology: Topology, pki: PKIDirectory) throws(RenkeiError) {
        self.topology = topology
        self.cipher = LinkCodeCipher(secret: try pki.keys.secret(topology.networkSystem.name, .linkCode))
    }

    /// Seeds `stores` (by node name). `progress(done, total)` hears how many people are in.
    /// With `partial`, only the nodes in `stores` are seeded (a node in its own process seeds
    /// its own store; the population is the same everywhere because it follows from the seed);
    /// otherwise a node without a store is an error.
    public func seed(
        _ scenario: Scenario, into stores: [String: any NodeStore], partial: Bool = false, clock: SimulationClock = SimulationClock(),
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws(RenkeiError) -> Summary {
        let plan = scenario.plan(topology)
        let population = Population(plan: plan)
        var summary = Summary(
            scenario: scenario.name, seed: plan.seed, referenceDate: plan.referenceDate.description, persons: population.persons.count)
        summary.cities = Dictionary(uniqueKeysWithValues: plan.cities.map { ($0.id, $0.residents) })
        let total = population.persons.count
        func store(_ name: String) throws(RenkeiError) -> (any NodeStore)? {
            guard let store = stores[name] else {
                if partial { return nil }
                throw RenkeiError(.internalError, "no store for node \(name)")
            }
            return store
        }
        func audit(_ detail: String) -> StoreWrite { .audit(AuditEvent(kind: .administration, at: clock.nowMicros(), actor: "seed", detail: detail)) }

        if let registry = try store(topology.residentRegistry.name) {
            for chunk in population.persons.chunked(20_000) {
                try await registry.commit(chunk.map { .resident(myNumber: $0.myNumber, residentCode: $0.residentCode) })
            }
            try await registry.commit([audit("scenario \(scenario.name): \(total) residents")])
        }
        progress(total / 10, total)

        let organizations = topology.organizations.filter { topology.registers[$0.id] != nil }
        for (position, organization) in organizations.enumerated() {
            guard let basis = topology.registers[organization.id], let host = topology.intermediateServer(hosting: organization.id) else { continue }
            let register = population.register(basis)
            let addressSystem = topology.addressSystem(for: organization.id).map(\.name)
            let tenantStore = try store(host.name)
            let addressStore = try addressSystem.flatMap { name throws(RenkeiError) in try store(name) }
            var linkCodes = 0
            var duplicates = 0
            for chunk in register.chunked(5_000) {
                var tenantWrites = [StoreWrite]()
                var addressWrites = [StoreWrite]()
                for entry in chunk {
                    let person = population.persons[entry.person]
                    if addressSystem != nil {
                        addressWrites.append(
                            .addressee(
                                Addressee(
                                    addressNumber: entry.addressNumber, integratedAddressNumber: entry.integratedAddressNumber,
                                    myNumber: person.myNumber, name: person.name
                                )))
                    } else {
                        tenantWrites.append(
                            .tenantAddressee(tenant: organization.code, addressNumber: entry.addressNumber, person: entry.integratedAddressNumber))
                    }
                    if entry.linkCodeAcquired {
                        let linkCode = cipher.linkCode(identity: cipher.identityCode(for: person.residentCode), organization: organization.code)
                        tenantWrites.append(.linkCode(tenant: organization.code, person: entry.integratedAddressNumber, linkCode: linkCode))
                        linkCodes += 1
                    }
                    for record in population.duplicates(for: person, basis: basis, catalogue: topology.catalogue) {
                        tenantWrites.append(.duplicate(tenant: organization.code, person: entry.integratedAddressNumber, record: record))
                        duplicates += 1
                    }
                }
                // The two stores have their own writers: let them work at once.
                async let tenantCommit = Self.result { () async throws(RenkeiError) in try await tenantStore?.commit(tenantWrites) }
                if let addressStore { try await addressStore.commit(addressWrites) }
                try await tenantCommit.get()
                progress(
                    total / 10 + (position * total + (chunk.endIndex * total) / max(register.count, 1)) * 9 / 10 / max(organizations.count, 1), total)
            }
            var flagWrites = [StoreWrite]()
            for flag in scenario.flags where flag.organization == organization.id {
                var person: IntegratedAddressNumber?
                if let number = flag.addressNumber {
                    guard let entry = register.first(where: { $0.addressNumber == number }) else {
                        throw RenkeiError(
                            .invalidConfiguration, "scenario \(scenario.name): \(organization.name) has no person with 宛名番号 \(number.short)")
                    }
                    person = entry.integratedAddressNumber
                }
                let kind: FlagKind = flag.kind == .manualResponse ? .manualResponse : .nondisclosure
                flagWrites.append(
                    .flag(tenant: organization.code, person: person, information: flag.information, kind: kind.storeName, enabled: true))
            }
            let staffWrites = topology.staff.accounts.filter { $0.organization == organization.id }.map { seeded in
                StoreWrite.staffSeeded(tenant: organization.code, account: seeded.account)
            }
            try await tenantStore?.commit(
                flagWrites + staffWrites + [
                    audit(
                        "scenario \(scenario.name): \(organization.name) \(register.count) persons, \(linkCodes) 符号, \(duplicates) 副本, \(flagWrites.count) flags"
                    )
                ])
            if let addressStore {
                try await addressStore.commit([audit("scenario \(scenario.name): \(register.count) addressees of \(organization.name)")])
            }
            summary.registered += register.count
            summary.linkCodes += linkCodes
            summary.duplicates += duplicates
            summary.flags += flagWrites.count
        }
        progress(total, total)
        return summary
    }
}

extension DataSeeder {
    static func result(_ body: () async throws(RenkeiError) -> Void) async -> Result<Void, RenkeiError> {
        do {
            try await body()
            return .success(())
        } catch {
            return .failure(error)
        }
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
