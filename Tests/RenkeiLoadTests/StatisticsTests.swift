import Foundation
import RenkeiCore
import RenkeiTestSupport
import Testing

@testable import RenkeiLoad

@Suite("Load statistics and thresholds", .timeLimit(.minutes(1)))
struct StatisticsTests {
    @Test("merging two runs' histograms gives the percentiles of both together")
    func merge() {
        let fast = LoadStatistics()
        let slow = LoadStatistics()
        for _ in 0..<900 { fast.record(latencyMicros: 1_000, operation: "a", error: nil) }
        for _ in 0..<100 { slow.record(latencyMicros: 50_000, operation: "b", error: "DEADLINE_EXCEEDED") }
        fast.merge(slow)
        let summary = fast.summary(elapsed: 2)
        #expect(summary.completed == 1_000)
        #expect(summary.errors == 100)
        #expect(summary.throughput == 500)
        #expect((999...1_001).contains(summary.p50Micros))
        #expect(summary.p99Micros >= 49_000)
        #expect(summary.operations.mapValues(\.completed) == ["a": 900, "b": 100])
        #expect(summary.operations["b"]?.errors == 100 && summary.operations["a"]?.errors == 0)
        #expect((999...1_001).contains(summary.operations["a"]?.p99Micros ?? 0), "each operation has its own latency")
        #expect((49_000...50_100).contains(summary.operations["b"]?.p50Micros ?? 0))
    }

    @Test("each second keeps its requests started, errors by code and requests in flight")
    func secondsByCode() {
        let statistics = LoadStatistics()
        for _ in 0..<5 { statistics.started() }
        statistics.record(latencyMicros: 10, operation: "a", error: "DEADLINE_EXCEEDED")
        statistics.record(latencyMicros: 10, operation: "a", error: "UNAVAILABLE")
        statistics.record(latencyMicros: 10, operation: "a", error: "UNAVAILABLE")
        let first = statistics.closeSecond(0, inFlight: 3)
        statistics.started()
        statistics.record(latencyMicros: 10, operation: "a", error: nil)
        let second = statistics.closeSecond(1, inFlight: 0)
        #expect(first.started == 5 && first.completed == 3 && first.inFlight == 3)
        #expect(first.errorsByCode == ["DEADLINE_EXCEEDED": 1, "UNAVAILABLE": 2])
        #expect(second.started == 1 && second.errorsByCode.isEmpty && second.errors == 0)
        #expect(statistics.summary(elapsed: 2).errorsByCode == ["DEADLINE_EXCEEDED": 1, "UNAVAILABLE": 2])
    }

    @Test("seconds close with their own percentiles, and memory stays bounded by the error table")
    func seconds() {
        let statistics = LoadStatistics()
        for value in 1...100 { statistics.record(latencyMicros: UInt64(value * 100), operation: "a", error: nil) }
        let first = statistics.closeSecond(0)
        statistics.record(latencyMicros: 7, operation: "a", error: nil)
        let second = statistics.closeSecond(1)
        #expect(first.completed == 100 && (4_950...5_050).contains(first.p50Micros))
        #expect(second.completed == 1 && second.p99Micros == 7)
        for index in 0..<500 { statistics.record(latencyMicros: 1, operation: "a", error: "CODE\(index)") }
        #expect(statistics.summary(elapsed: 1).errorsByCode.count <= 65)
    }

    @Test("thresholds parse their units and name what is broken")
    func thresholds() throws {
        #expect(try Thresholds.duration("20ms") == 20_000)
        #expect(try Thresholds.duration("1.5s") == 1_500_000)
        #expect(try Thresholds.duration("500us") == 500)
        #expect(try Thresholds.fraction("0.1%") == 0.001)
        #expect(try Thresholds.fraction("0.02") == 0.02)
        #expect(throws: RenkeiError.self) { try Thresholds.duration("fast") }
        #expect(throws: RenkeiError.self) { try Thresholds.fraction("120%") }

        let statistics = LoadStatistics()
        // 2 % of the answers are slow (so p99 is slow), half of those are errors (1 %).
        for _ in 0..<980 { statistics.record(latencyMicros: 5_000, operation: "a", error: nil) }
        for _ in 0..<10 { statistics.record(latencyMicros: 30_000, operation: "a", error: nil) }
        for _ in 0..<10 { statistics.record(latencyMicros: 30_000, operation: "a", error: "UNAVAILABLE") }
        let summary = statistics.summary(elapsed: 1)
        let limits = Thresholds(p99MaxMicros: 20_000, errorMax: 0.001, throughputMin: 2_000)
        let broken = limits.violations(of: summary)
        #expect(broken.count == 3)
        #expect(broken[0].contains("p99"))
        #expect(broken[1].contains("error rate 1.000%"))
        #expect(Thresholds(p99MaxMicros: 40_000, errorMax: 0.02).violations(of: summary).isEmpty)
    }

    @Test("a mix picks operations in proportion to their weights")
    func mixWeights() throws {
        let mix = try LoadMix(operations: [
            LoadMix.Operation(name: "a", weight: 3, kind: .update, system: "s", information: "TAX"),
            LoadMix.Operation(name: "b", weight: 1, kind: .update, system: "s", information: "TAX"),
            LoadMix.Operation(name: "off", weight: 0, kind: .update, system: "s", information: "TAX"),
        ])
        var counts = [String: Int]()
        for index in 0..<4_000 { counts[mix.pick(Double(index) / 4_000).name, default: 0] += 1 }
        #expect(counts == ["a": 3_000, "b": 1_000])
        #expect(throws: RenkeiError.self) { try LoadMix(operations: [LoadMix.Operation(name: "x", weight: 1, kind: .batch, system: "s")]) }
        let shipped = try LoadMix.load(
            from: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("config/load/default.yaml"))
        #expect(shipped.operations.contains { $0.name == "tax-inquiry" })
    }
}
