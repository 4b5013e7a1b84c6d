import ArgumentParser
import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI
import RenkeiStore

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load a deterministic synthetic population into a data directory.",
        discussion: """
            Replaces the people, 符号 and 副本 of DATA with a new population (the audit logs \
            record it and go on). Start `renkei up --data DATA` afterwards; it loads them. The \
            same --seed always gives the same people; 個人番号 pass their check digit.
            Example: renkei seed --persons 100000 --seed 7
            """
    )

    @OptionGroup var locations: LocationOptions

    @Option(help: "How many people, shared among the cities as in the topology.")
    var persons: Int?

    @Option(help: "The random seed (the topology's by default).")
    var seed: UInt64?

    @Option(help: "Only these cities, comma-separated (e.g. tomakomai,sapporo).")
    var cities: String?

    @Option(help: "A scenario from config/scenarios (its flags are applied; --persons/--seed override its population).")
    var scenario: String = "seed"

    func validate() throws {
        if let persons, !(1...2_000_000).contains(persons) { throw ValidationError("--persons must be 1 to 2,000,000") }
    }

    func run() async throws {
        do {
            let started = ContinuousClock.now
            let clock = try locations.clock()
            let topology = try locations.topology(clock: clock)
            let base = try Scenario.load(named: scenario, in: Scenario.directory(besides: locations.configURL), topology: topology)
            let cityList = cities.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            for city in cityList ?? [] where !topology.population.cities.contains(where: { $0.id == city }) {
                throw RenkeiError(
                    .unknownOrganization, "\(city) is not a city of the topology (\(topology.population.cities.map(\.id).joined(separator: ", ")))")
            }
            let chosen = Scenario(
                name: base.name, description: base.description, seed: seed ?? base.seed, persons: persons ?? base.persons,
                cities: cityList ?? base.cities, flags: base.flags
            )
            let lock = try DataDirectoryLock(directory: locations.dataURL)
            defer { lock.release() }
            let pki = PKIDirectory(url: locations.certsURL)
            try pki.ensure(topology.certificateSubjects, tenants: topology.tenantIDs)
            var stores = [String: any NodeStore]()
            for node in topology.nodes {
                let store = try SQLiteStore(
                    url: NodeFiles.store(node.name, in: locations.dataURL), node: node.name, signingKey: pki.keys.signingKey(node.name, .checkpoint),
                    clock: clock
                )
                try await store.commit([
                    .stateReset,
                    .audit(AuditEvent(kind: .administration, at: clock.nowMicros(), actor: "seed", detail: "data replaced by renkei seed")),
                ])
                stores[node.name] = store
            }
            let progress = ProgressBar(label: "persons")
            let summary = try await DataSeeder(topology: topology, pki: pki)
                .seed(chosen, into: stores, clock: clock) { done, total in progress.update(done, of: total) }
            for store in stores.values { await store.close() }
            try SeedMarker(directory: locations.dataURL).write(summary)
            progress.finish()
            let seconds =
                Double((ContinuousClock.now - started).components.attoseconds) / 1e18 + Double((ContinuousClock.now - started).components.seconds)
            print("seeded \(summary.line) into \(locations.data) in \(String(format: "%.1f", seconds)) s")
        } catch let error as RenkeiError {
            throw fail(error)
        }
    }
}
