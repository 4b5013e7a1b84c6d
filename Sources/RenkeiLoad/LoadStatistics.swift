import Histogram
import Synchronization

/// What a load run measured, kept in bounded memory whatever its length: HdrHistograms of
/// latency (microseconds) overall and per operation, counts by outcome and error code, and
/// one small summary per second.
public final class LoadStatistics: Sendable {
    /// One second of the run.
    public struct Second: Sendable, Codable, Hashable {
        public let second: Int
        /// Requests started in this second: the rate asked of the target.
        public let started: Int
        /// Requests answered in this second: the rate achieved.
        public let completed: Int
        public let errors: Int
        /// This second's errors by code (at most the first 64 codes of the run).
        public let errorsByCode: [String: Int]
        /// Requests in flight when the second closed.
        public let inFlight: Int
        /// Requests due and unanswered when the second closed: those in flight and those the
        /// schedule could not yet send. Growing, the run is not keeping up.
        public let backlog: Int
        /// A second after the schedule ended, while the last answers came in.
        public let draining: Bool
        public let p50Micros: UInt64
        public let p99Micros: UInt64
        public let maxMicros: UInt64
    }

    /// One operation of the mix over the whole run.
    public struct OperationSummary: Sendable, Codable, Hashable {
        public let completed: Int
        public let errors: Int
        public let expectedRefusals: Int
        public let p50Micros: UInt64
        public let p99Micros: UInt64
        public let maxMicros: UInt64
    }

    public struct Summary: Sendable, Codable, Hashable {
        public let completed: Int
        public let errors: Int
        /// Refusals the mix expected (a denied inquiry that was meant to be denied).
        public let expectedRefusals: Int
        public let errorsByCode: [String: Int]
        public let throughput: Double
        public let seconds: Double
        public let p50Micros: UInt64
        public let p90Micros: UInt64
        public let p99Micros: UInt64
        public let p999Micros: UInt64
        public let maxMicros: UInt64
        /// Each operation of the mix: counts and latency.
        public let operations: [String: OperationSummary]
        /// How the answers kept up with what was asked (nil for statistics not from a run).
        public let schedule: ScheduleOutcome?

        public var errorRate: Double { completed == 0 ? 0 : Double(errors) / Double(completed) }
    }

    /// What was asked of a run against what it did: the figures that say whether a rate was
    /// held or only scheduled.
    public struct ScheduleOutcome: Sendable, Codable, Hashable {
        /// The measured duration asked for; `Summary.seconds` is the time the answers took.
        public let scheduledSeconds: Double
        /// From the end of the schedule to the last answer.
        public let drainSeconds: Double
        /// Measured requests asked for: the open model's schedule, the closed model's starts.
        public let offered: Int
        /// Requests due and unanswered as the schedule ended.
        public let backlogAtEnd: Int
        /// Open model: whether the answers kept up (see `Schedule.sustained`); nil for the
        /// closed model, which cannot fall behind.
        public let sustained: Bool?

        public init(scheduledSeconds: Double, drainSeconds: Double, offered: Int, backlogAtEnd: Int, sustained: Bool?) {
            self.scheduledSeconds = scheduledSeconds
            self.drainSeconds = drainSeconds
            self.offered = offered
            self.backlogAtEnd = backlogAtEnd
            self.sustained = sustained
        }
    }

    struct Counts {
        var histogram = LoadStatistics.histogram()
        var completed = 0
        var errors = 0
        var expectedRefusals = 0

        mutating func record(_ value: UInt64, error: Bool, expectedRefusal: Bool) {
            _ = histogram.record(value)
            completed += 1
            if error { errors += 1 }
            if expectedRefusal { expectedRefusals += 1 }
        }

        mutating func add(_ other: Counts) {
            histogram.add(other.histogram)
            completed += other.completed
            errors += other.errors
            expectedRefusals += other.expectedRefusals
        }

        func percentile(_ p: Double) -> UInt64 { histogram.totalCount == 0 ? 0 : histogram.valueAtPercentile(p) }
        var max: UInt64 { histogram.totalCount == 0 ? 0 : histogram.max }

        var summary: OperationSummary {
            OperationSummary(
                completed: completed, errors: errors, expectedRefusals: expectedRefusals, p50Micros: percentile(50), p99Micros: percentile(99),
                maxMicros: max)
        }
    }

    struct State {
        var total = Counts()
        /// Two significant digits for a second's figures (p50 and p99 within 1 %): closing a
        /// second walks its histogram, and with three digits that walk was ten times longer.
        var window = Counts(histogram: LoadStatistics.histogram(digits: .two))
        var windowStarted = 0
        var startedTotal = 0
        var errorsByCode: [String: Int] = [:]
        var windowErrorsByCode: [String: Int] = [:]
        var operations: [String: Counts] = [:]
        var seconds: [Second] = []
    }

    /// Latencies up to ten minutes, three significant digits (two for a second's window).
    static func histogram(digits: SignificantDigits = .three) -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: digits)
    }

    /// Error codes kept apart; the rest are counted as OTHER. Codes come from a fixed
    /// vocabulary, but a target can answer anything.
    static let codeLimit = 64

    private let state = Mutex(State())

    public init() {}

    /// Counts a request started now (the requested rate).
    public func started() {
        state.withLock {
            $0.windowStarted += 1
            $0.startedTotal += 1
        }
    }

    /// Records one finished request. `error` is the code of a failure the mix did not expect.
    public func record(latencyMicros: UInt64, operation: String, error: String?, expectedRefusal: Bool = false) {
        state.withLock { state in
            let value = max(1, min(latencyMicros, 600_000_000))
            state.total.record(value, error: error != nil, expectedRefusal: expectedRefusal)
            state.window.record(value, error: error != nil, expectedRefusal: expectedRefusal)
            state.operations[operation, default: Counts()].record(value, error: error != nil, expectedRefusal: expectedRefusal)
            if let error {
                let code = state.errorsByCode[error] != nil || state.errorsByCode.count < Self.codeLimit ? error : "OTHER"
                state.errorsByCode[code, default: 0] += 1
                state.windowErrorsByCode[code, default: 0] += 1
            }
        }
    }

    /// Closes the current second and starts the next; returns the closed one.
    @discardableResult
    public func closeSecond(_ index: Int, inFlight: Int = 0, backlog: Int? = nil, draining: Bool = false) -> Second {
        state.withLock { state in
            let window = state.window
            let second = Second(
                second: index, started: state.windowStarted, completed: window.completed, errors: window.errors,
                errorsByCode: state.windowErrorsByCode, inFlight: inFlight, backlog: backlog ?? inFlight, draining: draining,
                p50Micros: window.percentile(50), p99Micros: window.percentile(99),
                maxMicros: window.max
            )
            state.seconds.append(second)
            state.window = Counts(histogram: Self.histogram(digits: .two))
            state.windowStarted = 0
            state.windowErrorsByCode = [:]
            return second
        }
    }

    public var seconds: [Second] { state.withLock(\.seconds) }

    /// Requests answered in the second not yet closed.
    public var windowCompleted: Int { state.withLock(\.window.completed) }

    /// Measured requests started so far.
    public var startedTotal: Int { state.withLock(\.startedTotal) }

    /// Everything recorded so far (after `reset`), over `elapsed` seconds.
    public func summary(elapsed: Double, schedule: ScheduleOutcome? = nil) -> Summary {
        state.withLock { state in
            let total = state.total
            return Summary(
                completed: total.completed, errors: total.errors, expectedRefusals: total.expectedRefusals, errorsByCode: state.errorsByCode,
                throughput: elapsed > 0 ? Double(total.completed) / elapsed : 0, seconds: elapsed,
                p50Micros: total.percentile(50), p90Micros: total.percentile(90), p99Micros: total.percentile(99),
                p999Micros: total.percentile(99.9), maxMicros: total.max, operations: state.operations.mapValues(\.summary), schedule: schedule
            )
        }
    }

    /// Forgets everything (after the warm-up).
    public func reset() {
        state.withLock { $0 = State() }
    }

    /// Adds another run's histograms and counts (for runs split across workers).
    public func merge(_ other: LoadStatistics) {
        let theirs = other.state.withLock { $0 }
        state.withLock { state in
            state.total.add(theirs.total)
            for (code, count) in theirs.errorsByCode { state.errorsByCode[code, default: 0] += count }
            for (operation, counts) in theirs.operations { state.operations[operation, default: Counts()].add(counts) }
        }
    }
}
