public import ArgumentParser
import Foundation
import RenkeiConfig
import RenkeiCore

struct TopologyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology", abstract: "Make topologies.", subcommands: [Generate.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a topology shaped like the national linkage.",
            discussion: """
                Writes OUT/topology.yaml: the network system, J-LIS and the time-stamping authority; the \
                自治体中間サーバー・プラットフォーム's two sites (東日本 and 西日本) hosting every municipality, each with \
                its own 団体内統合宛名システム and a 国保 and a 税 system; the 医療保険者等向け中間サーバー hosting every \
                insurer (全国健康保険協会, 47 後期高齢者医療広域連合, 国民健康保険組合, 共済組合, the rest 健康保険組合); \
                and national bodies with their own 中間サーバー. Also OUT/staff.yaml (one member of staff per \
                inquiring 機関), OUT/load/national.yaml (inquiries between random parties under the rules) and \
                the rule tables, catalogue and seed scenario it needs. Everything is synthetic and the same \
                arguments write the same files. Start it with renkei up --config OUT/topology.yaml; drive it \
                with renkei load --config OUT/topology.yaml --mix OUT/load/national.yaml.
                """)

        @Option(help: "Municipalities, each with its own 団体内統合宛名システム (the real count is 1741).")
        var municipalities = 1741

        @Option(help: "医療保険者等 on the insurers' 中間サーバー (the real count is 1669).")
        var insurers = 1669

        @Option(help: "National bodies, each with its own 中間サーバー: 日本年金機構, 厚生労働大臣, 文部科学大臣, … (1 to 8).")
        var nationalBodies = 3

        @Option(help: "Synthetic residents per municipality.")
        var residents = 20

        @Option(help: "The folder to write into (made when missing).")
        var out: String = "national"

        @Option(help: "The topology whose rule tables, catalogue and seed scenario are copied.")
        var config: String = "config/topology.yaml"

        func validate() throws {
            guard (1...10_000).contains(residents) else { throw ValidationError("--residents must be 1 to 10000") }
        }

        func run() async throws {
            do {
                var generator = TopologyGenerator()
                generator.municipalities = municipalities
                generator.insurers = insurers
                generator.nationalBodies = nationalBodies
                generator.residents = residents
                let base = URL(fileURLWithPath: config).deletingLastPathComponent()
                let output = try generator.generate(
                    base: """
                        rules:
                          beppyo2: rules/beppyo2-2015.yaml
                          ordinance: rules/ordinance-2024.yaml
                          ordinance_from: 2024-05-27
                          plain_item_numbers: "2015"
                        catalogue: layout/catalogue.yaml
                        """)
                let folder = URL(fileURLWithPath: out)
                let files = FileManager.default
                do {
                    for sub in ["rules", "layout", "scenarios", "load"] {
                        try files.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
                    }
                    for file in ["rules/beppyo2-2015.yaml", "rules/ordinance-2024.yaml", "layout/catalogue.yaml", "scenarios/seed.yaml"] {
                        let target = folder.appendingPathComponent(file)
                        try? files.removeItem(at: target)
                        try files.copyItem(at: base.appendingPathComponent(file), to: target)
                    }
                    try output.topology.write(to: folder.appendingPathComponent("topology.yaml"), atomically: true, encoding: .utf8)
                    try output.staff.write(to: folder.appendingPathComponent("staff.yaml"), atomically: true, encoding: .utf8)
                } catch {
                    throw RenkeiError(.invalidConfiguration, "cannot write the topology into \(folder.path): \(error.localizedDescription)")
                }
                // Read back as renkei up will: a topology that does not load is not written in vain.
                let topology = try Topology.load(from: folder.appendingPathComponent("topology.yaml"), today: SimulationClock().today())
                let mix = generator.loadMix(movers: Self.askableMovers(topology))
                do { try mix.write(to: folder.appendingPathComponent("load/national.yaml"), atomically: true, encoding: .utf8) } catch {
                    throw RenkeiError(.invalidConfiguration, "cannot write the load mix into \(folder.path): \(error.localizedDescription)")
                }
                print(
                    "wrote \(folder.path)/topology.yaml: \(topology.nodes.count) nodes (\(topology.addressSystems.count) 団体内統合宛名システム, \(topology.intermediateServers.count) 中間サーバー), \(topology.organizations.count) 機関, \(output.businessSystems) business systems, \(municipalities * residents) residents"
                )
            } catch let error as RenkeiError {
                throw fail(error)
            }
        }

        /// Per municipality, the ones it has movers from with a 符号 at both: the pairs an item 42
        /// inquiry can be answered for.
        static func askableMovers(_ topology: Topology) -> [String: [String]] {
            let population = RenkeiCore.Population(plan: topology.population)
            // One register per city (each is a pass over every person), read twice below.
            var registers = [String: [RegisterEntry]]()
            for city in topology.population.cities { registers[city.id] = population.register(.municipality(city: city.id)) }
            let linked = registers.mapValues { Set($0.filter(\.linkCodeAcquired).map(\.person)) }
            var movers = [String: Set<String>]()
            for (city, entries) in registers {
                for entry in entries where entry.linkCodeAcquired {
                    guard let former = population.persons[entry.person].formerCity, linked[former]?.contains(entry.person) == true else { continue }
                    movers[city, default: []].insert(former)
                }
            }
            return movers.mapValues { Array($0) }
        }
    }
}
