public import Foundation
public import RenkeiConfig
import RenkeiCore

/// The repository the tests run in: its config, scenarios and sources, wherever `swift test` runs from.
public enum Repository {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func file(_ path: String) -> URL { root.appendingPathComponent(path) }

    public static var scenarios: URL { file("config/scenarios") }

    /// config/topology.yaml, as `renkei up` reads it today.
    public static func defaultTopology() throws -> Topology {
        try Topology.load(from: file("config/topology.yaml"), today: SimulationClock().today())
    }
}
