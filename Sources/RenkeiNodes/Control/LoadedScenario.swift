import Synchronization

/// Which scenario the network holds now: the last one seeded (at start, by a reset or an
/// upload), or the one a restarted `renkei up` found in its data directory. The admin API
/// tells it, so that `renkei load` can warn when a training scenario's flags would make its
/// figures no measure of throughput.
public final class LoadedScenario: Sendable {
    private let summary = Mutex<DataSeeder.Summary?>(nil)

    public init() {}

    public var current: DataSeeder.Summary? { summary.withLock { $0 } }

    public func set(_ value: DataSeeder.Summary) { summary.withLock { $0 = value } }
}
