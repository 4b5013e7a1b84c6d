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

/// These tests judge the scheduler by the clock, so each takes the whole machine: in CI, with
/// every network test starting at once, a 1 ms sleep came back seconds late.
@Suite("Load scheduler", .wholeMachine, .queuedTimeLimit)
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

    @Test("an open run that falls behind is judged over the time its answers took, drains in seconds of its own, and is not sustained")
    func fallingBehind() async throws {
        // 200/s asked of a target that answers one at a time in 10 ms: at most 100/s.
        let plan = LoadPlan(model: .open(rate: 200), duration: .seconds(1), warmup: .zero, maxInFlight: 1)
        let statistics = LoadStatistics()
        let summary = await LoadRunner(plan: plan, mix: try single()).run(statistics: statistics) { _, _ in
            try? await Task.sleep(for: .milliseconds(10))
            return .success
        }
        let schedule = try #require(summary.schedule)
        #expect(schedule.offered == 200 && summary.completed == 200, "every scheduled request is sent and answered: \(summary.completed)")
        #expect(schedule.sustained == false)
        #expect(schedule.backlogAtEnd > 50, "half of the schedule was still due as it ended: \(schedule.backlogAtEnd)")
        // 200 answers at 10 ms each take at least 2 s, 1 s of them after the schedule.
        #expect(schedule.drainSeconds >= 0.9 && summary.seconds >= 1.9, "drain \(schedule.drainSeconds) s, elapsed \(summary.seconds) s")
        #expect(summary.throughput <= 110, "answers over the real time: \(summary.throughput)/s, not 200 in 1 s")
        let seconds = statistics.seconds
        #expect(seconds.first?.draining == false && seconds.dropFirst().allSatisfy(\.draining) && seconds.count >= 2, "\(seconds.map(\.draining))")
        #expect(seconds.first.map { $0.inFlight <= 1 && $0.backlog >= $0.inFlight } == true, "the backlog counts what the in-flight limit held back")
        #expect(
            Thresholds(throughputMin: 1).violations(of: summary) == [
                "the rate asked was not sustained: \(schedule.backlogAtEnd) requests were unanswered as the schedule ended (more than a second's worth, or a tenth of a short run's), and the last answer came \(String(format1: schedule.drainSeconds)) s after it"
            ])
        #expect(Thresholds(sustained: true).violations(of: summary).count == 1)
        #expect(Thresholds().violations(of: summary).isEmpty, "not judged unless asked")
    }

    // Whether a run keeps up cannot be asserted by the clock here: in CI, CPU-bound suites in
    // the same process held Swift's two pool threads for seconds and no fake answer came back
    // before the schedule ended. The arithmetic is tested as arithmetic; a run that keeps up is
    // the end-to-end load test's (a real network at 100/s, sustained).
    @Test("the open model's schedule: a request every 1/rate from the start, the last before the end; the bound on the backlog is a second's worth")
    func scheduleArithmetic() {
        let start = ContinuousClock.now
        let schedule = Schedule(model: .open(rate: 200), start: start, measureFrom: start + .seconds(1), end: start + .seconds(3))
        #expect(schedule.total == 600)
        #expect(schedule.due(at: start) == 1 && schedule.due(at: start + .milliseconds(4)) == 1 && schedule.due(at: start + .milliseconds(5)) == 2)
        #expect(schedule.due(at: start - .seconds(1)) == 0 && schedule.due(at: start + .seconds(10)) == 600)
        #expect(schedule.instant(2) == start + .milliseconds(10))
        #expect(schedule.offered(started: 0) == 400, "measured: the requests due from the first second to the third")
        // Two measured seconds: the bound is a tenth of the run's worth, 200 × 0.2.
        #expect(schedule.sustained(backlogAtEnd: 40) == true && schedule.sustained(backlogAtEnd: 41) == false)
        let long = Schedule(model: .open(rate: 200), start: start, measureFrom: start, end: start + .seconds(60))
        #expect(long.sustained(backlogAtEnd: 200) == true && long.sustained(backlogAtEnd: 201) == false)
        let closed = Schedule(model: .closed(concurrency: 4), start: start, measureFrom: start, end: start + .seconds(5))
        #expect(closed.total == 0 && closed.due(at: start + .seconds(1)) == 0 && closed.offered(started: 17) == 17)
        #expect(closed.sustained(backlogAtEnd: 10_000) == nil, "the closed model cannot fall behind")
    }

    @Test("a closed run of a fixed number of requests sends exactly that many and ends when they are answered, long before its duration")
    func fixedRequests() async throws {
        let plan = LoadPlan(model: .closed(concurrency: 4), duration: .seconds(600), warmup: .zero, requests: 37)
        let sent = Counter()
        let summary = await LoadRunner(plan: plan, mix: try single()).run(statistics: LoadStatistics()) { _, _ in
            _ = sent.next()
            try? await Task.sleep(for: .milliseconds(1))
            return .success
        }
        #expect(sent.value.load(ordering: .relaxed) == 37 && summary.completed == 37)
        #expect(summary.seconds < 60, "ended with its work, not its duration: \(summary.seconds) s")
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
