import Foundation
import RenkeiConfig
import RenkeiTestSupport
import Testing

@testable import RenkeiCore

/// Issue 11: an unknown key is refused with its name, its place and the known keys, never
/// silently ignored; a YAML syntax error gives its line and column.
@Suite("Strict inputs")
struct StrictInputTests {
    static let text = (try? String(contentsOf: Repository.file("config/topology.yaml"), encoding: .utf8)) ?? ""

    func parse(_ yaml: String) throws(RenkeiError) -> Topology {
        let base = try Topology.load(from: Repository.file("config/topology.yaml"), today: SimulationClock().today())
        return try Topology.parse(yaml: yaml, source: "topology.yaml", rules: base.rules, catalogue: base.catalogue, today: SimulationClock().today())
    }

    /// The 1-based line of the first line of `text` that contains `needle`.
    func line(of needle: String, in text: String) -> Int {
        (text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) } ?? -1) + 1
    }

    @Test("a misspelt YAML key is refused at its line and column, with the nearest known key")
    func yamlTypo() throws {
        let yaml = Self.text.replacingOccurrences(of: "  permit_ttl_seconds: 30", with: "  permit_ttl_second: 30")
        let line = line(of: "permit_ttl_second:", in: yaml)
        #expect(line > 1)
        #expect(throws: RenkeiError.self) { try parse(yaml) }
        do {
            _ = try parse(yaml)
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(
                error.message.hasPrefix(
                    "topology.yaml:\(line):3: network_system: unknown key \"permit_ttl_second\" (did you mean \"permit_ttl_seconds\"?); the known keys are"
                ),
                "\(error.message)")
            #expect(error.message.contains("listen, name, permit_protection, permit_ttl_seconds"))
        }
    }

    @Test("a key nobody knows, deep in a list, is refused with its path and no suggestion")
    func yamlUnknownDeep() throws {
        let yaml = Self.text.replacingOccurrences(of: "      residents: 600", with: "      residents: 600\n      colour: blue")
        do {
            _ = try parse(yaml)
            Issue.record("colour was accepted")
        } catch {
            #expect(
                error.message.contains(": population.cities[0]: unknown key \"colour\"; the known keys are id, prefecture, residents, towns"),
                "\(error.message)")
            #expect(error.message.hasPrefix("topology.yaml:\(line(of: "colour:", in: yaml)):7:"), "\(error.message)")
        }
    }

    @Test("a YAML syntax error names its line and column")
    func yamlSyntax() throws {
        let yaml = Self.text.replacingOccurrences(of: "  permit_ttl_seconds: 30", with: "  permit_ttl_seconds: [30")
        do {
            _ = try parse(yaml)
            Issue.record("the broken file was accepted")
        } catch {
            #expect(error.code == .invalidConfiguration)
            let pattern = try Regex(#"^topology\.yaml:\d+:\d+: not valid YAML: "#)
            #expect(error.message.contains(pattern), "\(error.message)")
        }
    }

    struct Body: Decodable {
        struct Entry: Decodable {
            let code: String
            let value: String?
        }
        let mode: String?
        let entries: [Entry]
        let weights: [String: Int]?
    }

    @Test("JSON: an unknown field at the top, in a list, and a map's free keys")
    func json() throws {
        func decode(_ text: String) throws -> Body { try JSONDecoder().decode(Strict<Body>.self, from: Data(text.utf8)).value }
        let ok = try decode(#"{"mode":"async","entries":[{"code":"A"}],"weights":{"anything":1}}"#)
        #expect(ok.mode == "async")
        #expect(ok.weights == ["anything": 1])
        #expect(throws: StrictDecoding.UnknownKey(path: [], key: "mod", known: ["entries", "mode", "weights"])) {
            try decode(#"{"mod":"async","entries":[]}"#)
        }
        #expect(throws: StrictDecoding.UnknownKey(path: ["entries", "[1]"], key: "valu", known: ["code", "value"])) {
            try decode(#"{"entries":[{"code":"A"},{"code":"B","valu":"x"}]}"#)
        }
        let typo = StrictDecoding.UnknownKey(path: [], key: "mod", known: ["entries", "mode", "weights"])
        #expect(typo.description == #"unknown key "mod" (did you mean "mode"?); the known keys are entries, mode, weights"#)
    }
}
