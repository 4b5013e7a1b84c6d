public import Foundation
public import RenkeiCore

/// A named starting point for tests and exercises (config/scenarios/NAME.yaml): how many
/// people, from which seed, and which of them are flagged 自動応答不可 or 不開示.
public struct Scenario: Sendable, Hashable {
    public struct Flag: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            /// 自動応答不可
            case manualResponse = "manual_response"
            /// 不開示 (provider side)
            case nondisclosure
        }

        public let organization: String
        /// The person by the organization's own 宛名番号; nil for every person.
        public let addressNumber: AddressNumber?
        /// One 特定個人情報名; nil for all of them.
        public let information: InformationCode?
        public let kind: Kind
    }

    public let name: String
    public let description: String
    public let seed: UInt64?
    public let persons: Int?
    public let cities: [String]?
    public let flags: [Flag]

    public init(name: String, description: String = "", seed: UInt64? = nil, persons: Int? = nil, cities: [String]? = nil, flags: [Flag] = []) {
        self.name = name
        self.description = description
        self.seed = seed
        self.persons = persons
        self.cities = cities
        self.flags = flags
    }

    /// The population plan of this scenario on `topology`.
    public func plan(_ topology: Topology) -> PopulationPlan {
        var plan = topology.population
        if let seed { plan.seed = seed }
        if persons != nil || cities != nil { plan = plan.scaled(toPersons: persons ?? plan.persons, cities: cities) }
        return plan
    }

    /// Where the named scenarios live, beside the topology file.
    public static func directory(besides topologyFile: URL) -> URL {
        topologyFile.deletingLastPathComponent().appendingPathComponent("scenarios")
    }

    /// Loads `name` (config/scenarios/NAME.yaml) and checks it against the topology.
    public static func load(named name: String, in directory: URL, topology: Topology) throws(RenkeiError) -> Scenario {
        guard !name.isEmpty, name.utf8.count <= 64, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw .config("a scenario name is letters, digits, - and _ (got \"\(name)\")")
        }
        let url = directory.appendingPathComponent("\(name).yaml")
        guard FileManager.default.fileExists(atPath: url.path) else {
            let known = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".yaml") }.map {
                String($0.dropLast(5))
            }.sorted()
            throw RenkeiError(.notFound, "no scenario \(name) in \(directory.path) (known: \(known.joined(separator: ", ")))")
        }
        return try parse(YAMLFile.decode(File.self, at: url), name: name, source: url.path, topology: topology)
    }

    /// Parses a scenario from YAML text (for one uploaded through the admin API).
    public static func parse(yaml: String, topology: Topology) throws(RenkeiError) -> Scenario {
        let file = try YAMLFile.decode(File.self, text: yaml, source: "the scenario")
        return try parse(file, name: file.name ?? "uploaded", source: "the scenario", topology: topology)
    }

    struct File: Decodable {
        struct FlagEntry: Decodable {
            let organization: String
            let address_number: String?
            let information: String?
            let kind: String
        }
        struct Population: Decodable {
            let seed: UInt64?
            let persons: Int?
            let cities: [String]?
        }
        let name: String?
        let description: String?
        let population: Population?
        let flags: [FlagEntry]?
    }

    private static func parse(_ file: File, name: String, source: String, topology: Topology) throws(RenkeiError) -> Scenario {
        if let persons = file.population?.persons, !(1...2_000_000).contains(persons) {
            throw .config("\(source): population.persons must be 1 to 2,000,000")
        }
        for city in file.population?.cities ?? [] where !topology.population.cities.contains(where: { $0.id == city }) {
            throw .config("\(source): population city \(city.excerpt(32)) is not a city of the topology")
        }
        guard (file.flags ?? []).count <= 100_000 else { throw .config("\(source): at most 100,000 flags in a scenario") }
        var flags = [Flag]()
        for (index, entry) in (file.flags ?? []).enumerated() {
            guard topology.organization(id: entry.organization) != nil else {
                throw .config("\(source): flags[\(index)]: no organization \(entry.organization.excerpt(32))")
            }
            guard let kind = Flag.Kind(rawValue: entry.kind) else {
                throw .config("\(source): flags[\(index)]: kind is manual_response or nondisclosure")
            }
            let addressNumber = try entry.address_number.map { text throws(RenkeiError) in
                try identifier(URL(fileURLWithPath: source), text) as AddressNumber
            }
            let information = try entry.information.map { text throws(RenkeiError) in
                try identifier(URL(fileURLWithPath: source), text) as InformationCode
            }
            guard addressNumber != nil || information != nil else { throw .config("\(source): flags[\(index)] names neither a person nor a 特定個人情報名") }
            flags.append(Flag(organization: entry.organization, addressNumber: addressNumber, information: information, kind: kind))
        }
        return Scenario(
            name: name, description: file.description ?? "", seed: file.population?.seed, persons: file.population?.persons,
            cities: file.population?.cities, flags: flags
        )
    }
}
