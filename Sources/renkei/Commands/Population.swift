import ArgumentParser
import Foundation
import RenkeiConfig
import RenkeiCore

struct Population: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "population",
        abstract: "List the synthetic people an organization knows, so you know whom to ask about.",
        discussion: """
            The population is generated from the topology's seed, so it is the one `renkei up` \
            loads. Columns: 宛名番号, name, 個人番号, whether the organization holds a 符号, and \
            for movers the city they came from.
            """
    )

    @OptionGroup var locations: LocationOptions

    @Option(help: "The organization (a city id such as tomakomai, or kyokai-kenpo, nenkin).")
    var city: String

    @Option(help: "How many people to list.")
    var limit: Int = 20

    @Option(help: "Skip this many people first.")
    var offset: Int = 0

    @Flag(help: "Only people who moved in from another city (the seed scenario's 転入者).")
    var movers = false

    func validate() throws {
        guard (1...100_000).contains(limit), offset >= 0 else { throw ValidationError("--limit must be 1 to 100000 and --offset 0 or more") }
    }

    func run() async throws {
        do {
            let topology = try locations.topology(clock: try locations.clock())
            guard let organization = topology.organization(named: city), let basis = topology.registers[organization.id] else {
                let known = topology.registers.keys.sorted().joined(separator: ", ")
                throw RenkeiError(.unknownOrganization, "no population register for \(city) (known: \(known))")
            }
            // The people of the data directory when it was seeded, else the topology's.
            let plan = SeedMarker(directory: locations.dataURL).read()?.plan(topology) ?? topology.population
            let population = RenkeiCore.Population(plan: plan)
            let entries = population.register(basis).filter { !movers || population.persons[$0.person].formerCity != nil }
            print("# \(organization.name) (\(organization.id)): \(entries.count) people, seed \(plan.seed)")
            print(["宛名番号", "氏名", "カナ", "生年月日", "個人番号", "符号", "転入元"].joined(separator: "\t"))
            for entry in entries.dropFirst(offset).prefix(limit) {
                let person = population.persons[entry.person]
                let former = person.formerCity.flatMap { topology.organization(id: $0)?.name } ?? (entry.isResident ? "" : "(転出)")
                print(
                    [
                        entry.addressNumber.short, person.name, person.nameKana, person.birthDate.description, person.myNumber.rawValue,
                        entry.linkCodeAcquired ? "取得済" : "未取得", former,
                    ].joined(separator: "\t"))
            }
        } catch let error as RenkeiError {
            throw fail(error)
        }
    }
}
