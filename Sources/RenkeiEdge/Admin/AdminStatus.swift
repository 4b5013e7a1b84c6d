public import RenkeiNodes

/// GET /admin/status: what the network holds now — the scenario loaded, the inquiries waiting
/// for staff, the faults in force — and what of it would make a load run's figures misleading.
public struct AdminStatus: Codable, Sendable, Hashable {
    /// The last scenario seeded (nil when this process has not seeded or found one).
    public var scenario: DataSeeder.Summary?
    /// Inquiries in the manual-response (自動応答不可) queues of every tenant.
    public var queued: Int
    public var faults: Int

    public init(scenario: DataSeeder.Summary?, queued: Int, faults: Int) {
        self.scenario = scenario
        self.queued = queued
        self.faults = faults
    }

    /// Sentences for an operator about to measure throughput on this network.
    public var loadWarnings: [String] {
        var warnings = [String]()
        if let scenario, scenario.flags > 0 {
            warnings.append(
                "the network holds scenario \(scenario.scenario) with \(scenario.flags) flags (自動応答不可 or 不開示): inquiries of flagged people wait for staff or are withheld, which measures the queue, not throughput; `renkei admin reset --scenario seed` loads the plain population"
            )
        }
        if queued > 0 {
            warnings.append(
                "\(queued) inquiries wait in the manual-response queue: a manual operation of the mix adds to it and every queued inquiry is held until its deadline; `renkei admin queue list` shows them"
            )
        }
        if faults > 0 {
            warnings.append("\(faults) faults are in force (`renkei admin faults list`): the figures include what they inject")
        }
        return warnings
    }
}
