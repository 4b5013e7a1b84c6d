import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiTestSupport
import Testing

/// Hostile configuration values (issue 9): every numeric setting has a range, and a value
/// outside it, or a file that is not YAML, is one INVALID_CONFIGURATION that names the field.
@Suite("Configuration bounds")
struct ConfigBoundsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let text = (try? String(contentsOf: repository.appendingPathComponent("config/topology.yaml"), encoding: .utf8)) ?? ""

    static let cases: [(String, String, String)] = [
        ("  permit_ttl_seconds: 30", "  permit_ttl_seconds: 1000000000000000", "network_system.permit_ttl_seconds"),
        ("  permit_ttl_seconds: 30", "  permit_ttl_seconds: 0", "network_system.permit_ttl_seconds"),
        ("  timeout_ms: 5000", "  timeout_ms: 0", "wire.timeout_ms"),
        ("  timeout_ms: 5000", "  timeout_ms: 9223372036854775807", "wire.timeout_ms"),
        ("  max_frame_bytes: 1048576", "  max_frame_bytes: 10", "wire.max_frame_bytes"),
        ("  max_frame_bytes: 1048576", "  max_frame_bytes: 1099511627776", "wire.max_frame_bytes"),
        ("  connections_per_peer: 2", "  connections_per_peer: 1000", "wire.connections_per_peer"),
        ("  connections_per_peer: 2", "  connections_per_peer: -1", "wire.connections_per_peer"),
        ("  timeout_seconds: 259200", "  timeout_seconds: 0", "manual_response.timeout_seconds"),
        ("  link_code_pending_every: 25", "  link_code_pending_every: 0", "population.link_code_pending_every"),
        ("      residents: 600", "      residents: -5", "residents must be 0 to 5,000,000"),
        ("  seed: 20151005", "  seed: -1", "population.seed"),
        ("  permit_ttl_seconds: 30", "  permit_ttl_seconds: [30", "not valid YAML"),
    ]

    @Test("each out-of-range or broken value is refused with INVALID_CONFIGURATION naming the field", arguments: cases)
    func refused(_ original: String, _ hostile: String, _ named: String) throws {
        let base = try Topology.load(from: Self.repository.appendingPathComponent("config/topology.yaml"), today: SimulationClock().today())
        #expect(Self.text.contains(original), "the fixture still has \(original)")
        let yaml = Self.text.replacingOccurrences(of: original, with: hostile)
        do {
            _ = try Topology.parse(
                yaml: yaml, source: "topology.yaml", rules: base.rules, catalogue: base.catalogue, today: SimulationClock().today())
            Issue.record("\(hostile) was accepted")
        } catch {
            #expect(error.code == .invalidConfiguration, "\(error)")
            #expect(error.message.contains(named), "\(error.message)")
        }
    }

    @Test("the shipped topology parses from text as from its file")
    func shippedParses() throws {
        let base = try Topology.load(from: Self.repository.appendingPathComponent("config/topology.yaml"), today: SimulationClock().today())
        let parsed = try Topology.parse(
            yaml: Self.text, source: "topology.yaml", rules: base.rules, catalogue: base.catalogue, today: SimulationClock().today())
        #expect(parsed.wire.maximumFrameBytes == 1_048_576)
        #expect(parsed.organizations.count == base.organizations.count)
    }
}
