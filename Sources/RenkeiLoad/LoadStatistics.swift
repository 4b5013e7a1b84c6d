import Histogram
import Synchronization

/// What a load run measured, kept in bounded memory whatever its length: HdrHistograms of
/// latency (microseconds), counts by outcome, and one small summary per second.
public final class LoadStatistics: Sendable {
    /// One second of the run.
    public struct Second: Sendable, Codable, Hashable {
        public let second: Int
        public let completed: Int
        public let errors: Int
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
        public let byOperation: [String: Int]

        public var errorRate: Double { completed == 0 ? 0 : Double(errors) / Double(completed) }
    }

    struct State {
        var total = LoadStatistics.histogram()
        var window = LoadStatistics.histogram()
        var completed = 0
        var errors = 0
        var expectedRefusals = 0
        var windowCompleted = 0
        var windowErrors = 0
        var errorsByCode: [String: Int] = [:]
        var byOperation: [String: Int] = [:]
        var seconds: [Second] = []
    }

    /// Latencies up to ten minutes, three significant digits.
    static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    }

    private let state = Mutex(State())

    public init() {}

    /// Records one finished request. `error` is the code of a failure the mix did not expect.
    public func record(latencyMicros: UInt64, operation: String, error: String?, expectedRefusal: Bool = false) {
        state.withLock { state in
            let value = max(1, min(latencyMicros, 600_000_000))
            _ = state.total.record(value)
            _ = state.window.record(value)
            state.completed += 1
            state.windowCompleted += 1
            state.byOperation[operation, default: 0] += 1
            if expectedRefusal { state.expectedRefusals += 1 }
            if let error {
                state.errors += 1
                state.windowErrors += 1
                // Codes come from a fixed vocabulary; cap the table anyway.
                if state.errorsByCode[error] != nil || state.errorsByCode.count < 64 {
                    state.errorsByCode[error, default: 0] += 1
                } else {
                    state.errorsByCode["OTHER", default: 0] += 1
                }
            }
        }
    }

    /// Closes the current second and starts the next; returns the closed one.
    @discardableResult
    public func closeSecond(_ index: Int) -> Second {
        state.withLock { state in
            let second = Second(
                second: index, completed: state.windowCompleted, errors: state.windowErrors,
                p50Micros: state.window.totalCount == 0 ? 0 : state.window.valueAtPercentile(50),
                p99Micros: state.window.totalCount == 0 ? 0 : state.window.valueAtPercentile(99),
                maxMicros: state.window.totalCount == 0 ? 0 : state.window.max
            )
            state.seconds.append(second)
            state.window.reset()
            state.windowCompleted = 0
            state.windowErrors = 0
            return second
        }
    }

    public var seconds: [Second] { state.withLock(\.seconds) }

    /// Everything recorded so far (after `reset`), over `elapsed` seconds.
    public func summary(elapsed: Double) -> Summary {
        state.withLock { state in
            let total = state.total
            func percentile(_ p: Double) -> UInt64 { total.totalCount == 0 ? 0 : total.valueAtPercentile(p) }
            return Summary(
                completed: state.completed, errors: state.errors, expectedRefusals: state.expectedRefusals, errorsByCode: state.errorsByCode,
                throughput: elapsed > 0 ? Double(state.completed) / elapsed : 0, seconds: elapsed,
                p50Micros: percentile(50), p90Micros: percentile(90), p99Micros: percentile(99), p999Micros: percentile(99.9),
                maxMicros: total.totalCount == 0 ? 0 : total.max, byOperation: state.byOperation
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
            state.completed += theirs.completed
            state.errors += theirs.errors
            state.expectedRefusals += theirs.expectedRefusals
            for (code, count) in theirs.errorsByCode { state.errorsByCode[code, default: 0] += count }
            for (operation, count) in theirs.byOperation { state.byOperation[operation, default: 0] += count }
        }
    }
}
