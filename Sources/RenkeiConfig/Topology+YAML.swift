public import Foundation
public import RenkeiCore

extension Topology {
    private struct File: Decodable {
        struct Node: Decodable {
            let name: String
            let listen: String
            let permit_ttl_seconds: Int?
            let permit_protection: String?
            let seal_content: Bool?
            let postgres: String?
            let replicas: [String]?
        }
        struct OrganizationEntry: Decodable {
            let id: String
            let name: String
            let code: String
            let local_government_code: String?
            let kinds: [String]
            let register: String?
        }
        struct IntermediateServer: Decodable {
            let name: String
            let description: String?
            let listen: String
            let edge: String?
            let tenants: [String]
        }
        struct AddressSystem: Decodable {
            let name: String
            let organization: String
            let listen: String
            let edge: String?
        }
        struct Admin: Decodable {
            let listen: String
        }
        struct BusinessSystem: Decodable {
            let id: String
            let name: String?
            let items: [String]
            let provides: [String]?
            let disabled: Bool?
            let marks_nondisclosure: Bool?
        }
        struct Population: Decodable {
            struct City: Decodable {
                let id: String
                let prefecture: String
                let residents: Int
                let towns: [String]?
            }
            struct Move: Decodable {
                let from: String
                let to: String
                let share: Double
            }
            let seed: UInt64
            let reference_date: String?
            let link_code_pending_every: Int?
            let cities: [City]
            let moves: [Move]?
        }
        struct Wire: Decodable {
            let connections_per_peer: Int?
            let max_frame_bytes: Int?
            let timeout_ms: Int?
        }
        struct Rules: Decodable {
            let beppyo2: String
            let ordinance: String?
            let ordinance_from: String?
            let plain_item_numbers: String?
        }
        let rules: Rules
        let catalogue: String
        let admin: Admin?
        let network_system: Node
        let resident_registry: Node
        let time_stamp_authority: Node?
        let organizations: [OrganizationEntry]
        let intermediate_servers: [IntermediateServer]
        let address_systems: [AddressSystem]?
        let business_systems: [BusinessSystem]?
        struct Staff: Decodable {
            let accounts: String?
            let require_operator: Bool?
            let lockout_after_failures: Int?
            let lockout_minutes: Int?
            let session_minutes: Int?
            let password_cost: Int?
        }
        let staff: Staff?
        struct ManualResponse: Decodable {
            let timeout_seconds: Int
        }
        let population: Population
        let wire: Wire?
        let manual_response: ManualResponse?
        struct Console: Decodable {
            struct Trainer: Decodable {
                let organization: String
                let user_id: String
            }
            let listen: String
            let idle_minutes: Int?
            let exercises: String?
            let trainers: [Trainer]?
        }
        let console: Console?
        struct Metrics: Decodable {
            let port_offset: Int?
        }
        let metrics: Metrics?
    }

    private static func registerBasis(_ text: String, organization: String, file: String) throws(RenkeiError) -> RegisterBasis {
        let words = text.split(separator: " ").map(String.init)
        if words == ["municipality"] { return .municipality(city: organization) }
        if words == ["pension"] { return .pension }
        if words.count == 2, words[0] == "insurer" {
            guard let insurance = SyntheticPerson.Insurance(rawValue: words[1]) else {
                throw .config("\(file): organization \(organization): unknown insurance \"\(words[1])\" (kokuho, kyokai-kenpo, koki-korei)")
            }
            return .insurer(insurance)
        }
        throw .config("\(file): organization \(organization): register \"\(text)\" is not one of municipality, pension, insurer <insurance>")
    }

    /// Loads a topology file and the rule table and catalogue it names (paths relative to
    /// the topology file), checking that every reference resolves.
    public static func load(from url: URL, today: CivilDate) throws(RenkeiError) -> Topology {
        let file = try YAMLFile.decode(File.self, at: url)
        let base = url.deletingLastPathComponent()
        let rules = try ruleBook(file.rules, base: base, source: url)
        let catalogue = try InformationCatalogue.load(from: base.appendingPathComponent(file.catalogue))
        var topology = try build(file, source: url, rules: rules, catalogue: catalogue, today: today)
        if let accounts = file.staff?.accounts {
            topology.staff.accounts = try StaffFile.load(from: base.appendingPathComponent(accounts), topology: topology)
        }
        return topology
    }

    private static func ruleBook(_ rules: File.Rules, base: URL, source url: URL) throws(RenkeiError) -> RuleBook {
        let beppyo2 = try RuleTable.load(from: base.appendingPathComponent(rules.beppyo2), numbering: .beppyo2015)
        let ordinance = try rules.ordinance.map { path throws(RenkeiError) in
            try RuleTable.load(from: base.appendingPathComponent(path), numbering: .ordinance2024)
        }
        var from = RuleBook.ordinanceEnforcement
        if let text = rules.ordinance_from {
            do { from = try CivilDate(text) } catch { throw .config("\(url.path): rules.ordinance_from: \(error.message)") }
        }
        var plain = RuleBook.PlainNumbers.beppyo2015
        if let text = rules.plain_item_numbers {
            guard let value = RuleBook.PlainNumbers(rawValue: text) else {
                throw .config("\(url.path): rules.plain_item_numbers is \"\(text)\"; write \"2015\" (read as 別表第二) or in_force (the table in force)")
            }
            plain = value
        }
        do { return try RuleBook(beppyo2015: beppyo2, ordinance2024: ordinance, ordinanceFrom: from, plainNumbers: plain) } catch {
            throw .config("\(url.path): rules: \(error.message)")
        }
    }

    /// A topology from YAML text, with the rule table and catalogue already loaded (the
    /// file's `rules` and `catalogue` paths are not read): for the fuzz target and tests.
    public static func parse(
        yaml: String, source: String, rules: RuleBook, catalogue: InformationCatalogue, today: CivilDate
    ) throws(RenkeiError) -> Topology {
        let file = try YAMLFile.decode(File.self, text: yaml, source: source)
        return try build(file, source: URL(fileURLWithPath: source), rules: rules, catalogue: catalogue, today: today)
    }

    private static func build(
        _ file: File, source url: URL, rules: RuleBook, catalogue: InformationCatalogue, today: CivilDate
    ) throws(RenkeiError) -> Topology {
        let where_ = url.path

        func endpoint(_ text: String, _ field: String) throws(RenkeiError) -> Endpoint {
            do { return try Endpoint(text) } catch { throw .config("\(where_): \(field): \(error.message)") }
        }

        func permitProtection(_ text: String?) throws(RenkeiError) -> PermitProtection {
            guard let text else { return .signature }
            guard let protection = PermitProtection(rawValue: text) else {
                let known = PermitProtection.allCases.map(\.rawValue).joined(separator: " or ")
                throw .config("\(where_): network_system.permit_protection is \"\(text)\"; write \(known)")
            }
            return protection
        }

        func replicas(_ node: File.Node) throws(RenkeiError) -> [Endpoint] {
            let listed = node.replicas ?? []
            guard !listed.isEmpty else { return [] }
            guard node.postgres != nil else {
                throw .config(
                    "\(where_): network_system.replicas: replicas share their state through PostgreSQL; give network_system.postgres: postgres://USER@HOST:PORT/DATABASE"
                )
            }
            guard listed.count <= 8 else { throw .config("\(where_): network_system.replicas: at most 8 replicas besides the first") }
            var addresses = [Endpoint]()
            for (index, text) in listed.enumerated() { addresses.append(try endpoint(text, "network_system.replicas[\(index)]")) }
            return addresses
        }

        var organizations = [Organization]()
        var registers = [String: RegisterBasis]()
        for entry in file.organizations {
            guard organizations.allSatisfy({ $0.id != entry.id }) else { throw .config("\(where_): organization \(entry.id) is listed twice") }
            for kind in entry.kinds {
                switch rules.lookupKind(kind) {
                case .concrete: break
                case let .class(name, members):
                    throw .config(
                        "\(where_): organization \(entry.id): \(name) is a class (\(members.joined(separator: ", "))); list the concrete kinds it is")
                case .unknown:
                    throw .config("\(where_): organization \(entry.id): \(kind) is not a kind of organisation in 別表第二")
                }
            }
            let code = try identifier(url, entry.code) as OrganizationCode
            let localCode = try entry.local_government_code.map { text throws(RenkeiError) in
                try identifier(url, text) as LocalGovernmentCode
            }
            organizations.append(Organization(id: entry.id, name: entry.name, code: code, kinds: Set(entry.kinds), localGovernmentCode: localCode))
            if let register = entry.register {
                registers[entry.id] = try registerBasis(register, organization: entry.id, file: where_)
            }
        }
        let ids = Set(organizations.map(\.id))
        guard Set(organizations.map(\.code)).count == organizations.count else { throw .config("\(where_): two organizations share a 機関コード") }

        var hosted = Set<String>()
        let servers = try file.intermediate_servers.map { server throws(RenkeiError) in
            for tenant in server.tenants {
                guard ids.contains(tenant) else {
                    throw .config("\(where_): intermediate server \(server.name) hosts \(tenant), which is not an organization")
                }
                guard hosted.insert(tenant).inserted else { throw .config("\(where_): \(tenant) is hosted by two intermediate servers") }
            }
            return IntermediateServerSpec(
                name: server.name, description: server.description ?? "", listen: try endpoint(server.listen, server.name),
                edge: try server.edge.map { text throws(RenkeiError) in try endpoint(text, "\(server.name).edge") }, tenants: server.tenants
            )
        }
        let addressSystems = try (file.address_systems ?? []).map { system throws(RenkeiError) in
            guard hosted.contains(system.organization) else {
                throw .config("\(where_): address system \(system.name) serves \(system.organization), which no intermediate server hosts")
            }
            guard registers[system.organization].map({ if case .municipality = $0 { true } else { false } }) == true else {
                throw .config("\(where_): address system \(system.name) serves \(system.organization), whose register is not municipality")
            }
            return AddressSystemSpec(
                name: system.name, organization: system.organization, listen: try endpoint(system.listen, system.name),
                edge: try system.edge.map { text throws(RenkeiError) in try endpoint(text, "\(system.name).edge") }
            )
        }
        var businessSystems = [BusinessSystemSpec]()
        for system in file.business_systems ?? [] {
            let parts = system.id.split(separator: "/").map(String.init)
            guard parts.count == 2, ids.contains(parts[0]), parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw .config("\(where_): business system \(system.id) must be written <organization>/<system> with a known organization")
            }
            guard hosted.contains(parts[0]) else {
                throw .config("\(where_): business system \(system.id): no intermediate server hosts \(parts[0])")
            }
            var items = [ItemReference]()
            for text in system.items {
                do { items.append(try rules.reference(for: try ItemCitation(text), on: today)) } catch {
                    throw .config("\(where_): business system \(system.id): \(error.message)")
                }
            }
            var provides = Set<InformationCode>()
            for text in system.provides ?? [] {
                let code: InformationCode
                do { code = try Parse.identifier("provides", text, InformationCode.init) } catch {
                    throw .config("\(where_): business system \(system.id): \(error.message)")
                }
                guard catalogue.spec(code) != nil else {
                    throw .config("\(where_): business system \(system.id): provides \(code), which is not in the layout catalogue")
                }
                provides.insert(code)
            }
            businessSystems.append(
                BusinessSystemSpec(
                    id: system.id, name: system.name ?? system.id, organization: parts[0], items: items, provides: provides,
                    disabled: system.disabled ?? false, marksNondisclosure: system.marks_nondisclosure ?? false))
        }

        let nodeNames =
            [file.network_system.name, file.resident_registry.name] + (file.time_stamp_authority.map { [$0.name] } ?? []) + servers.map(\.name)
            + addressSystems.map(\.name)
        guard Set(nodeNames).count == nodeNames.count else { throw .config("\(where_): two nodes share a name") }

        let population = file.population
        let referenceDate: CivilDate
        if let text = population.reference_date, text != "today" {
            do { referenceDate = try CivilDate(text) } catch { throw .config("\(where_): population.reference_date: \(error.message)") }
        } else {
            referenceDate = today
        }
        let cities = try population.cities.map { city throws(RenkeiError) in
            guard let organization = organizations.first(where: { $0.id == city.id }) else {
                throw .config("\(where_): population city \(city.id) is not an organization")
            }
            guard (0...5_000_000).contains(city.residents) else {
                throw .config("\(where_): population city \(city.id): residents must be 0 to 5,000,000")
            }
            return PopulationPlan.City(
                id: city.id, name: organization.name, prefecture: city.prefecture, residents: city.residents, towns: city.towns ?? [])
        }
        let moves = try (population.moves ?? []).map { move throws(RenkeiError) in
            guard cities.contains(where: { $0.id == move.from }), cities.contains(where: { $0.id == move.to }), (0...1).contains(move.share) else {
                throw .config("\(where_): population move \(move.from) → \(move.to) must name two population cities and a share from 0 to 1")
            }
            return PopulationPlan.Move(from: move.from, to: move.to, share: move.share)
        }
        func bounded(_ value: Int?, default fallback: Int, _ range: ClosedRange<Int>, _ field: String, unit: String = "") throws(RenkeiError) -> Int {
            let value = value ?? fallback
            guard range.contains(value) else {
                throw .config("\(where_): \(field) is \(value)\(unit); it must be from \(range.lowerBound) to \(range.upperBound)\(unit)")
            }
            return value
        }
        let plan = PopulationPlan(
            seed: population.seed, referenceDate: referenceDate, cities: cities, moves: moves,
            linkCodePendingEvery: try bounded(population.link_code_pending_every, default: 25, 1...1_000_000, "population.link_code_pending_every")
        )
        let wire = WireSettings(
            connectionsPerPeer: try bounded(file.wire?.connections_per_peer, default: 2, 1...64, "wire.connections_per_peer"),
            maximumFrameBytes: try bounded(file.wire?.max_frame_bytes, default: 1 << 20, 1024...(64 << 20), "wire.max_frame_bytes", unit: " bytes"),
            timeout: .milliseconds(try bounded(file.wire?.timeout_ms, default: 5000, 1...600_000, "wire.timeout_ms", unit: " ms"))
        )
        let permitLifetime = try bounded(
            file.network_system.permit_ttl_seconds, default: 30, 1...86_400, "network_system.permit_ttl_seconds", unit: " s")
        let manualTimeout = try bounded(
            file.manual_response?.timeout_seconds, default: 72 * 3600, 1...(366 * 86_400), "manual_response.timeout_seconds", unit: " s")
        var staff = StaffSettings()
        staff.requireOperator = file.staff?.require_operator ?? true
        staff.lockoutAfterFailures = try bounded(file.staff?.lockout_after_failures, default: 5, 1...100, "staff.lockout_after_failures")
        staff.lockout = .seconds(60 * (try bounded(file.staff?.lockout_minutes, default: 15, 1...10_080, "staff.lockout_minutes", unit: " min")))
        staff.session = .seconds(60 * (try bounded(file.staff?.session_minutes, default: 480, 1...10_080, "staff.session_minutes", unit: " min")))
        staff.passwordCost = try bounded(file.staff?.password_cost, default: 12, 4...16, "staff.password_cost")
        var topology = Topology(
            admin: try file.admin.map { admin throws(RenkeiError) in try endpoint(admin.listen, "admin") },
            networkSystem: NetworkSystemSpec(
                name: file.network_system.name, listen: try endpoint(file.network_system.listen, "network_system"),
                permitLifetime: .seconds(permitLifetime),
                permitProtection: try permitProtection(file.network_system.permit_protection),
                sealContent: file.network_system.seal_content ?? true,
                postgres: try file.network_system.postgres.map { url throws(RenkeiError) in
                    do throws(RenkeiError) { return try PostgresLocation(url: url) } catch {
                        throw .config("\(where_): network_system.postgres: \(error.message)")
                    }
                },
                replicas: try replicas(file.network_system)
            ),
            residentRegistry: NodeSpec(name: file.resident_registry.name, listen: try endpoint(file.resident_registry.listen, "resident_registry")),
            organizations: organizations, registers: registers, intermediateServers: servers, addressSystems: addressSystems,
            businessSystems: businessSystems, population: plan, wire: wire,
            manualResponseTimeout: .seconds(manualTimeout), rules: rules, catalogue: catalogue
        )
        topology.staff = staff
        if let console = file.console {
            var settings = ConsoleSettings(listen: try endpoint(console.listen, "console"))
            settings.idle = .seconds(60 * (try bounded(console.idle_minutes, default: 30, 1...1_440, "console.idle_minutes", unit: " min")))
            settings.exercises = console.exercises ?? settings.exercises
            for trainer in console.trainers ?? [] {
                guard organizations.contains(where: { $0.id == trainer.organization }) else {
                    throw .config("console.trainers: \(trainer.organization) is not an organization of the topology")
                }
                settings.trainers.insert(ConsoleSettings.Trainer(organization: trainer.organization, userID: trainer.user_id))
            }
            topology.console = settings
        }
        if let metrics = file.metrics {
            topology.metrics = MetricsSettings(portOffset: try bounded(metrics.port_offset, default: 2000, 1...60_000, "metrics.port_offset"))
        }
        topology.timeStampAuthority = try file.time_stamp_authority.map { node throws(RenkeiError) in
            NodeSpec(name: node.name, listen: try endpoint(node.listen, "time_stamp_authority"))
        }
        return topology
    }
}
