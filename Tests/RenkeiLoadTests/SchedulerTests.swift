import Foundation
import RenkeiCore
import RenkeiTestSupport
import Synchronization
import Testing

@testable import RenkeiLoad

/// A mix of one operation, for scheduler tests.
func single() throws -> LoadMix {
    try LoadMix(operations: [LoadMix.Operation(name: "op", weight: 1, kind: .update, system: "s", information: "TM00000000000002")])
}

final class Counter: Sendable {
    let value = Atomic<Int>(0)
    func next() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
}

@Suite("Load scheduler", .timeLimit(.minutes(2)))
struct SchedulerTests {
    @Test("the open model keeps its rate when every answer stalls")
    func openModelKeepsRate() async throws {
        let plan = LoadPlan(model: .open(rate: 500), duration: .seconds(1), warmup: .zero, maxInFlight: 10_000)
        let started = Counter()
        let statistics = LoadStatistics()
        let summary = await LoadRunner(plan: plan, mix: try single()).run(statistics: statistics) { _, _ in
            _ = started.next()
            // Every answer takes 300 ms: a closed loop would send a handful.
            try? await Task.sleep(for: .milliseconds(300))
            return .success
        }
        let sent = started.value.load(ordering: .relaxed)
        #expect(sent >= 450 && sent <= 510, "the schedule sent \(sent) of 500 despite the stall")
        #expect(summary.p50Micros >= 300_000, "each latency includes the stall")
    }

    @Test("latency counts from the scheduled start: a generator that cannot keep up shows the wait (coordinated omission corrected)")
    func coordinatedOmission() async throws {
        // One request in flight at a time, each taking 10 ms, scheduled at 400/s (every 2.5 ms).
        let plan = LoadPlan(model: .open(rate: 400), duration: .milliseconds(500), warmup: .zero, maxInFlight: 1)
        let statistics = LoadStatistics()
        let summary = await LoadRunner(plan: plan, mix: try single()).run(statistics: statistics) { _, _ in
            try? await Task.sleep(for: .milliseconds(10))
            return .success
        }
        // Service time is 10 ms; measured from the send it would look like 10 ms everywhere.
        // From the schedule, the backlog grows to hundreds of milliseconds.
        #expect(summary.maxMicros > 100_000, "max \(summary.maxMicros) µs must show the queueing behind the slow requests")
        // Half the requests waited at least five service times behind the schedule.
        #expect(summary.p50Micros > 50_000, "p50 \(summary.p50Micros) µs must include the wait behind the schedule")
    }

    @Test("the closed model keeps the given number of callers busy")
    func closedModel() async throws {
        let plan = LoadPlan(model: .closed(concurrency: 4), duration: .milliseconds(500), warmup: .zero)
        let callers = Occupancy()
        let summary = await LoadRunner(plan: plan, mix: try single()).run(statistics: LoadStatistics()) { _, _ in
            callers.enter()
            try? await Task.sleep(for: .milliseconds(5))
            callers.leave()
            return .success
        }
        #expect(callers.highest == 4)
        #expect(summary.completed >= 4, "every caller answers at least once")
    }

    @Test("an operation that must be refused counts as a refusal, and any other answer as an error")
    func expectedRefusals() async throws {
        let statistics = LoadStatistics()
        statistics.record(latencyMicros: 10, operation: "a", error: nil)
        statistics.record(latencyMicros: 10, operation: "b", error: nil, expectedRefusal: true)
        statistics.record(latencyMicros: 10, operation: "c", error: "DEADLINE_EXCEEDED")
        let summary = statistics.summary(elapsed: 1)
        #expect(summary.completed == 3 && summary.errors == 1 && summary.expectedRefusals == 1)
        #expect(summary.errorsByCode == ["DEADLINE_EXCEEDED": 1])
    }
}

/// Tracks how many callers are inside at once.
final class Occupancy: Sendable {
    private let state = Mutex((current: 0, highest: 0))
    func enter() {
        state.withLock {
            $0.current += 1
            $0.highest = max($0.highest, $0.current)
        }
    }
    func leave() { state.withLock { $0.current -= 1 } }
    var highest: Int { state.withLock(\.highest) }
}
