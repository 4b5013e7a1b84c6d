import Foundation
import Synchronization

/// How to drive load.
public struct LoadPlan: Sendable, Hashable, Codable {
    public enum Model: Sendable, Hashable, Codable {
        /// Requests start on a fixed schedule, whatever the answers do; latency counts from the
        /// scheduled start (corrected for coordinated omission), so a stall shows.
        case open(rate: Double)
        /// A fixed number of callers, each sending its next request when the last is answered.
        case closed(concurrency: Int)
    }

    public var model: Model
    public var duration: Duration
    public var warmup: Duration
    /// The open model waits (and counts the wait) rather than exceed this many in flight.
    public var maxInFlight: Int
    public var seed: UInt64

    public init(model: Model, duration: Duration, warmup: Duration = .seconds(2), maxInFlight: Int = 10_000, seed: UInt64 = 1) {
        self.model = model
        self.duration = duration
        self.warmup = warmup
        self.maxInFlight = max(1, maxInFlight)
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey {
        case model, durationSeconds, warmupSeconds, maxInFlight, seed
    }

    // Durations as seconds in report.json: Swift's own encoding of Duration is a pair of
    // integers (seconds, attoseconds) that nobody reads.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(Self.seconds(duration), forKey: .durationSeconds)
        try container.encode(Self.seconds(warmup), forKey: .warmupSeconds)
        try container.encode(maxInFlight, forKey: .maxInFlight)
        try container.encode(seed, forKey: .seed)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(Model.self, forKey: .model)
        duration = .milliseconds(Int64(try container.decode(Double.self, forKey: .durationSeconds) * 1000))
        warmup = .milliseconds(Int64(try container.decode(Double.self, forKey: .warmupSeconds) * 1000))
        maxInFlight = try container.decode(Int.self, forKey: .maxInFlight)
        seed = try container.decode(UInt64.self, forKey: .seed)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Drives a plan: picks operations from the mix, runs them as the model says, records
/// every answer, and closes a second of statistics each second.
public struct LoadRunner: Sendable {
    public typealias Execute = @Sendable (_ operation: String, _ sequence: Int) async -> OperationOutcome

    let plan: LoadPlan
    let mix: LoadMix

    public init(plan: LoadPlan, mix: LoadMix) {
        self.plan = plan
        self.mix = mix
    }

    /// Runs the warm-up, then the measured duration; `onSecond` hears each measured second.
    public func run(
        statistics: LoadStatistics, execute: @escaping Execute, onSecond: @escaping @Sendable (LoadStatistics.Second) -> Void = { _ in }
    ) async -> LoadStatistics.Summary {
        let clock = ContinuousClock()
        let start = clock.now
        let measureFrom = start + plan.warmup
        let end = measureFrom + plan.duration
        let shared = RunState(seed: plan.seed)
        let inFlight = shared
        let mix = self.mix

        @Sendable func fire(scheduled: ContinuousClock.Instant) async {
            let number = shared.sequence.wrappingAdd(1, ordering: .relaxed).oldValue
            let operation = shared.picker.withLock { mix.pick($0.nextUnit()) }
            if scheduled >= measureFrom { statistics.started() }
            let outcome = await execute(operation.name, number)
            let done = clock.now
            shared.inFlight.wrappingSubtract(1, ordering: .relaxed)
            guard scheduled >= measureFrom else { return }
            let latency = done - scheduled
            statistics.record(
                latencyMicros: UInt64(max(0, latency.microseconds)), operation: operation.name, error: outcome.error,
                expectedRefusal: outcome.expectedRefusal)
        }

        await withDiscardingTaskGroup { group in
            // Seconds of the measured part: close each one as it ends.
            group.addTask {
                try? await clock.sleep(until: measureFrom)
                statistics.reset()
                var index = 0
                var next = measureFrom + .seconds(1)
                while next <= end {
                    try? await clock.sleep(until: next)
                    let second = statistics.closeSecond(index, inFlight: inFlight.inFlight.load(ordering: .relaxed))
                    onSecond(second)
                    index += 1
                    next += .seconds(1)
                }
            }
            switch plan.model {
            case let .open(rate):
                let interval = Duration.nanoseconds(Int64(1e9 / max(rate, 0.001)))
                var issued = 0
                while true {
                    // A generator that wakes late still sends everything scheduled before the end,
                    // late: leaving it out would hide the stall (coordinated omission).
                    let now = min(clock.now, end)
                    let due = Int(Double((now - start).nanosecondsValue) / Double(interval.nanosecondsValue)) + 1
                    while issued < due {
                        let scheduled = start + interval * issued
                        issued += 1
                        // Over the in-flight limit the schedule slips; the slip is in the latency.
                        while shared.inFlight.load(ordering: .relaxed) >= plan.maxInFlight { try? await clock.sleep(for: .milliseconds(1)) }
                        shared.inFlight.wrappingAdd(1, ordering: .relaxed)
                        group.addTask { await fire(scheduled: scheduled) }
                    }
                    if now >= end { break }
                    try? await clock.sleep(until: min(start + interval * issued, now + .milliseconds(1)))
                }
            case let .closed(concurrency):
                for _ in 0..<max(1, concurrency) {
                    group.addTask {
                        // Each caller sends at least once, so a caller started late still counts.
                        repeat {
                            shared.inFlight.wrappingAdd(1, ordering: .relaxed)
                            await fire(scheduled: clock.now)
                        } while clock.now < end
                    }
                }
            }
        }
        let measured = min(clock.now, end) - measureFrom
        return statistics.summary(elapsed: max(0.001, measured.secondsValue))
    }
}

/// Counters shared by the tasks of one run.
final class RunState: Sendable {
    let inFlight = Atomic<Int>(0)
    let sequence = Atomic<Int>(0)
    let picker: Mutex<SplitMix>

    init(seed: UInt64) { picker = Mutex(SplitMix(seed: seed)) }
}

/// A small reproducible random generator for picking operations.
struct SplitMix: Sendable {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func nextUnit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}

extension Duration {
    var nanosecondsValue: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
    var microseconds: Int64 { nanosecondsValue / 1_000 }
    var secondsValue: Double { Double(nanosecondsValue) / 1e9 }
}
