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
    /// Closed model: the callers stop after this many requests in all (the warm-up's
    /// included), however long they take, before `duration` if need be: a fixed amount of
    /// work, for counting instructions rather than timing.
    public var requests: Int?

    public init(
        model: Model, duration: Duration, warmup: Duration = .seconds(2), maxInFlight: Int = 10_000, seed: UInt64 = 1, requests: Int? = nil
    ) {
        self.model = model
        self.duration = duration
        self.warmup = warmup
        self.maxInFlight = max(1, maxInFlight)
        self.seed = seed
        self.requests = requests
    }

    enum CodingKeys: String, CodingKey {
        case model, durationSeconds, warmupSeconds, maxInFlight, seed, requests
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
        try container.encodeIfPresent(requests, forKey: .requests)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(Model.self, forKey: .model)
        duration = .milliseconds(Int64(try container.decode(Double.self, forKey: .durationSeconds) * 1000))
        warmup = .milliseconds(Int64(try container.decode(Double.self, forKey: .warmupSeconds) * 1000))
        maxInFlight = try container.decode(Int.self, forKey: .maxInFlight)
        seed = try container.decode(UInt64.self, forKey: .seed)
        requests = try container.decodeIfPresent(Int.self, forKey: .requests)
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

    /// Runs the warm-up, then the measured duration, then waits for every answer (the drain);
    /// `onSecond` hears each measured second, those of the drain included.
    public func run(
        statistics: LoadStatistics, execute: @escaping Execute, onSecond: @escaping @Sendable (LoadStatistics.Second) -> Void = { _ in }
    ) async -> LoadStatistics.Summary {
        let clock = ContinuousClock()
        let start = clock.now
        let measureFrom = start + plan.warmup
        let end = measureFrom + plan.duration
        let shared = RunState(seed: plan.seed)
        let mix = self.mix
        let schedule = Schedule(model: plan.model, start: start, measureFrom: measureFrom, end: end)

        @Sendable func fire(scheduled: ContinuousClock.Instant) async {
            let number = shared.sequence.wrappingAdd(1, ordering: .relaxed).oldValue
            let operation = shared.picker.withLock { mix.pick($0.nextUnit()) }
            let measured = scheduled >= measureFrom
            if measured { statistics.started() }
            let outcome = await execute(operation.name, number)
            let done = clock.now
            shared.inFlight.wrappingSubtract(1, ordering: .relaxed)
            if done <= end { shared.answeredBeforeEnd.wrappingAdd(1, ordering: .relaxed) }
            guard measured else { return }
            let latency = done - scheduled
            statistics.record(
                latencyMicros: UInt64(max(0, latency.microseconds)), operation: operation.name, error: outcome.error,
                expectedRefusal: outcome.expectedRefusal)
            shared.answered(at: (done - start).nanosecondsValue)
        }

        /// Requests due and not yet answered: in flight, and (open model) scheduled but not yet
        /// sent because the in-flight limit held them back.
        @Sendable func backlog(at instant: ContinuousClock.Instant) -> Int {
            let inFlight = shared.inFlight.load(ordering: .relaxed)
            return inFlight + max(0, schedule.due(at: instant) - shared.issued.load(ordering: .relaxed))
        }

        await withDiscardingTaskGroup { group in
            // Seconds of the measured part: close each one as it ends, and go on through the
            // drain until the last answer is in.
            group.addTask {
                try? await clock.sleep(until: measureFrom)
                statistics.reset()
                var index = 0
                var next = measureFrom + .seconds(1)
                while next <= end, !shared.finished.load(ordering: .relaxed) {
                    try? await clock.sleep(until: next)
                    onSecond(statistics.closeSecond(index, inFlight: shared.inFlight.load(ordering: .relaxed), backlog: backlog(at: next)))
                    index += 1
                    next += .seconds(1)
                }
                while !shared.finished.load(ordering: .relaxed) {
                    // Polled, not slept for a whole second: the run ends as soon as the drain does.
                    try? await clock.sleep(until: min(next, clock.now + .milliseconds(10)))
                    guard clock.now >= next else { continue }
                    onSecond(
                        statistics.closeSecond(index, inFlight: shared.inFlight.load(ordering: .relaxed), backlog: backlog(at: next), draining: true))
                    index += 1
                    next += .seconds(1)
                }
                // The part of a second in which the last answers came.
                if statistics.windowCompleted > 0 { onSecond(statistics.closeSecond(index, inFlight: 0, backlog: 0, draining: true)) }
            }
            group.addTask {
                await withDiscardingTaskGroup { requests in
                    switch plan.model {
                    case .open:
                        var issued = 0
                        while issued < schedule.total {
                            // A generator that wakes late still sends everything scheduled before the end,
                            // late: leaving it out would hide the stall (coordinated omission).
                            let now = clock.now
                            while issued < schedule.due(at: now) {
                                let scheduled = schedule.instant(issued)
                                issued += 1
                                // Over the in-flight limit the schedule slips; the slip is in the latency.
                                while shared.inFlight.load(ordering: .relaxed) >= plan.maxInFlight { try? await clock.sleep(for: .milliseconds(1)) }
                                shared.inFlight.wrappingAdd(1, ordering: .relaxed)
                                shared.issued.wrappingAdd(1, ordering: .relaxed)
                                requests.addTask { await fire(scheduled: scheduled) }
                            }
                            if issued < schedule.total { try? await clock.sleep(until: min(schedule.instant(issued), now + .milliseconds(1))) }
                        }
                    case let .closed(concurrency):
                        for _ in 0..<max(1, concurrency) {
                            requests.addTask {
                                if let limit = plan.requests {
                                    // A fixed amount of work, however long it takes (instruction counts).
                                    while shared.issued.wrappingAdd(1, ordering: .relaxed).oldValue < limit {
                                        shared.inFlight.wrappingAdd(1, ordering: .relaxed)
                                        await fire(scheduled: clock.now)
                                    }
                                    // The count that found the limit reached sent nothing.
                                    shared.issued.wrappingSubtract(1, ordering: .relaxed)
                                    return
                                }
                                // Each caller sends at least once, so a caller started late still counts.
                                repeat {
                                    shared.inFlight.wrappingAdd(1, ordering: .relaxed)
                                    shared.issued.wrappingAdd(1, ordering: .relaxed)
                                    await fire(scheduled: clock.now)
                                } while clock.now < end
                            }
                        }
                    }
                }
                shared.finished.store(true, ordering: .relaxed)
            }
        }
        // From what was due and what had been answered by the end, not from a tick that a busy
        // machine may deliver late.
        let due = schedule.total > 0 ? schedule.total : shared.issued.load(ordering: .relaxed)
        let backlogAtEnd = max(0, due - shared.answeredBeforeEnd.load(ordering: .relaxed))
        // Over the real time the answers took: a run that falls behind its schedule and drains
        // for seconds afterwards does not get to divide by the seconds it was asked to run.
        let lastAnswer = start + .nanoseconds(shared.lastAnswerNanos.load(ordering: .relaxed))
        let finished = max(lastAnswer, min(clock.now, end))
        let outcome = LoadStatistics.ScheduleOutcome(
            scheduledSeconds: plan.duration.secondsValue, drainSeconds: max(0, (lastAnswer - end).secondsValue),
            offered: schedule.offered(started: statistics.startedTotal), backlogAtEnd: backlogAtEnd,
            sustained: schedule.sustained(backlogAtEnd: backlogAtEnd))
        return statistics.summary(elapsed: max(0.001, (finished - measureFrom).secondsValue), schedule: outcome)
    }
}

/// When the requests of a run are due, and what counts as keeping up with them.
struct Schedule: Sendable {
    let model: LoadPlan.Model
    let start: ContinuousClock.Instant
    let measureFrom: ContinuousClock.Instant
    let end: ContinuousClock.Instant
    /// Open model: the requests of the whole run, one every `interval` from the start, the
    /// last before the end.
    let total: Int
    private let interval: Double

    init(model: LoadPlan.Model, start: ContinuousClock.Instant, measureFrom: ContinuousClock.Instant, end: ContinuousClock.Instant) {
        self.model = model
        self.start = start
        self.measureFrom = measureFrom
        self.end = end
        if case let .open(rate) = model { interval = 1e9 / max(rate, 0.001) } else { interval = .infinity }
        total = interval.isFinite ? Self.count(before: end, from: start, interval: interval) : 0
    }

    /// When request `index` of the open model is due.
    func instant(_ index: Int) -> ContinuousClock.Instant { start + .nanoseconds(Int64((Double(index) * interval).rounded(.up))) }

    /// Open model: requests due by `instant`; the closed model has no schedule, only callers.
    func due(at instant: ContinuousClock.Instant) -> Int {
        guard total > 0, instant >= start else { return 0 }
        return min(total, Int(Double((instant - start).nanosecondsValue) / interval) + 1)
    }

    /// The measured requests asked for: the schedule's, or what the callers started.
    func offered(started: Int) -> Int {
        guard case .open = model else { return started }
        return total - Self.count(before: measureFrom, from: start, interval: interval)
    }

    /// Open model: the answers kept up when, as the schedule ended, no more than a second's
    /// worth of requests was unanswered (a tenth of the run's, for a run under ten seconds).
    /// A backlog that grows through the run ends far above that; a steady one at the rate
    /// asked stays near rate × latency. nil: the closed model sends only when answered, so it
    /// cannot fall behind.
    func sustained(backlogAtEnd: Int) -> Bool? {
        guard case let .open(rate) = model else { return nil }
        let window = min(1, (end - measureFrom).secondsValue / 10)
        return Double(backlogAtEnd) <= max(1, rate * window)
    }

    /// Requests scheduled strictly before `instant`.
    private static func count(before instant: ContinuousClock.Instant, from start: ContinuousClock.Instant, interval: Double) -> Int {
        guard instant > start else { return 0 }
        return Int((Double((instant - start).nanosecondsValue) / interval).rounded(.up))
    }
}

/// Counters shared by the tasks of one run.
final class RunState: Sendable {
    let inFlight = Atomic<Int>(0)
    let issued = Atomic<Int>(0)
    let sequence = Atomic<Int>(0)
    /// Answers, the warm-up's included, that came before the schedule ended.
    let answeredBeforeEnd = Atomic<Int>(0)
    let finished = Atomic<Bool>(false)
    /// When the last measured answer came, in nanoseconds from the start of the run.
    let lastAnswerNanos = Atomic<Int64>(0)
    let picker: Mutex<SplitMix>

    init(seed: UInt64) { picker = Mutex(SplitMix(seed: seed)) }

    func answered(at nanos: Int64) {
        var seen = lastAnswerNanos.load(ordering: .relaxed)
        while seen < nanos {
            let (exchanged, original) = lastAnswerNanos.compareExchange(expected: seen, desired: nanos, ordering: .relaxed)
            if exchanged { return }
            seen = original
        }
    }
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
