public import Logging
import NIOCore
public import RenkeiConfig
public import RenkeiCore
public import RenkeiPKI
import RenkeiWire

/// Loads the synthetic population into a running network through its real interfaces:
/// residents into J-LIS, people into each 団体内統合宛名システム (or, for a 機関 without one,
/// its tenant), 符号取得 over the real path, and 副本 into each provider's tenant.
public struct PopulationSeeder: Sendable {
    public struct Summary: Sendable {
        public var persons = 0
        public var registered = 0
        public var linkCodes = 0
        public var linkCodeFailures = 0
        public var duplicates = 0
    }

    let topology: Topology
    let peers: PeerDirectory

    public init(topology: Topology, endpoints: EndpointTable, pki: PKIDirectory, logger: Logger) throws(RenkeiError) {
        self.topology = topology
        self.peers = PeerDirectory(endpoints: endpoints, credentials: try pki.credentials(for: Topology.adminName), wire: topology.wire, logger: logger)
    }

    /// Seeds everything; `progress` hears one line per step.
    public func seed(progress: @Sendable (String) -> Void = { _ in }) async throws(RenkeiError) -> Summary {
        do {
            let summary = try await run(progress: progress)
            await peers.shutdown()
            return summary
        } catch {
            await peers.shutdown()
            throw error
        }
    }

    private func run(progress: @Sendable (String) -> Void) async throws(RenkeiError) -> Summary {
        let population = Population(plan: topology.population)
        var summary = Summary()
        summary.persons = population.persons.count
        let deadline = { NIODeadline.now() + .seconds(120) }

        for chunk in population.persons.chunked(20_000) {
            var registration = Renkei_V1_ResidentRegistration()
            registration.residents = chunk.map { person in
                var resident = Renkei_V1_ResidentRegistration.Resident()
                resident.myNumber = person.myNumber.rawValue
                resident.residentCode = person.residentCode.rawValue
                return resident
            }
            _ = try await peers.client(topology.residentRegistry.name).call(Methods.registerResidents, registration, deadline: deadline())
        }
        progress("住基ネット: \(population.persons.count) residents")

        for organization in topology.organizations {
            guard let basis = topology.registers[organization.id], let host = topology.intermediateServer(hosting: organization.id) else { continue }
            let register = population.register(basis)
            var acquired = 0
            if let addressSystem = topology.addressSystem(for: organization.id) {
                for chunk in register.chunked(LinkCodeAcquisition.batchSize) {
                    var registration = Renkei_V1_AddresseeRegistration()
                    registration.tenant = organization.code.rawValue
                    registration.acquireLinkCodes = true
                    registration.addressees = chunk.map { entry in
                        var addressee = Renkei_V1_AddresseeRegistration.Addressee()
                        addressee.addressNumber = entry.addressNumber.rawValue
                        addressee.integratedAddressNumber = entry.integratedAddressNumber.rawValue
                        addressee.myNumber = population.persons[entry.person].myNumber.rawValue
                        addressee.name = population.persons[entry.person].name
                        addressee.acquireLinkCode = entry.linkCodeAcquired
                        return addressee
                    }
                    let response = try await peers.client(addressSystem.name).call(Methods.addresseeRegister, registration, deadline: deadline())
                    acquired += Int(response.linkCodesAcquired)
                    summary.linkCodeFailures += response.failures.count
                }
            } else {
                for chunk in register.chunked(LinkCodeAcquisition.batchSize) {
                    var registration = Renkei_V1_AddresseeRegistration()
                    registration.tenant = organization.code.rawValue
                    registration.addressees = chunk.map { entry in
                        var addressee = Renkei_V1_AddresseeRegistration.Addressee()
                        addressee.addressNumber = entry.addressNumber.rawValue
                        addressee.integratedAddressNumber = entry.integratedAddressNumber.rawValue
                        return addressee
                    }
                    _ = try await peers.client(host.name).call(Methods.registerAddressees, registration, deadline: deadline())
                }
                let outcome = try await LinkCodeAcquisition.run(
                    for: organization,
                    persons: register.filter(\.linkCodeAcquired).map { ($0.integratedAddressNumber, population.persons[$0.person].myNumber) },
                    topology: topology, peers: peers, deadline: deadline()
                )
                acquired += outcome.acquired
                summary.linkCodeFailures += outcome.failures.count
            }
            summary.registered += register.count
            summary.linkCodes += acquired

            var entries = [Renkei_V1_DuplicateRegistration.Entry]()
            var registered = 0
            func flush() async throws(RenkeiError) {
                guard !entries.isEmpty else { return }
                var registration = Renkei_V1_DuplicateRegistration()
                registration.tenant = organization.code.rawValue
                registration.entries = entries
                registered += Int(try await peers.client(host.name).call(Methods.registerDuplicates, registration, deadline: deadline()).registered)
                entries.removeAll(keepingCapacity: true)
            }
            for entry in register {
                for record in population.duplicates(for: population.persons[entry.person], basis: basis, catalogue: topology.catalogue) {
                    var wire = Renkei_V1_DuplicateRegistration.Entry()
                    wire.integratedAddressNumber = entry.integratedAddressNumber.rawValue
                    wire.record = Renkei_V1_DuplicateRecord(record)
                    entries.append(wire)
                }
                if entries.count >= 1_000 { try await flush() }
            }
            try await flush()
            summary.duplicates += registered
            progress("\(organization.name): \(register.count) persons, \(acquired) 符号, \(registered) 副本")
        }
        return summary
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
