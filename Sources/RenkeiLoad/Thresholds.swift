public import RenkeiCore

/// Pass/fail limits of a load run: its exit status.
public struct Thresholds: Sendable, Hashable {
    public var p99MaxMicros: UInt64?
    /// A fraction (0.001 for 0.1 %).
    public var errorMax: Double?
    /// Judged on the achieved figure: answers over the real time they took, the drain included.
    public var throughputMin: Double?
    /// The open model's answers must keep up with its schedule. Asking for a throughput asks
    /// for this too: a rate that was only scheduled was not achieved.
    public var sustained: Bool

    public init(p99MaxMicros: UInt64? = nil, errorMax: Double? = nil, throughputMin: Double? = nil, sustained: Bool = false) {
        self.p99MaxMicros = p99MaxMicros
        self.errorMax = errorMax
        self.throughputMin = throughputMin
        self.sustained = sustained
    }

    /// Parses 20ms, 1.5s, 500us (or a bare number of milliseconds).
    public static func duration(_ text: String) throws(RenkeiError) -> UInt64 {
        let units: [(String, Double)] = [("us", 1), ("µs", 1), ("ms", 1_000), ("s", 1_000_000)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value >= 0 else { break }
            return UInt64(value * scale)
        }
        guard let value = Double(text), value >= 0 else {
            throw RenkeiError(.invalidRequest, "\"\(text.excerpt(32))\" is not a duration; write it like 20ms, 1.5s or 500us")
        }
        return UInt64(value * 1_000)
    }

    /// Parses 0.1% or 0.001.
    public static func fraction(_ text: String) throws(RenkeiError) -> Double {
        let percent = text.hasSuffix("%")
        guard let value = Double(percent ? String(text.dropLast()) : text), value >= 0 else {
            throw RenkeiError(.invalidRequest, "\"\(text.excerpt(32))\" is not a share; write it like 0.1% or 0.001")
        }
        let fraction = percent ? value / 100 : value
        guard fraction <= 1 else { throw RenkeiError(.invalidRequest, "\"\(text.excerpt(32))\" is more than 100%") }
        return fraction
    }

    /// Each limit the summary breaks, as a sentence; empty when it passes.
    public func violations(of summary: LoadStatistics.Summary) -> [String] {
        var broken = [String]()
        if let limit = p99MaxMicros, summary.p99Micros > limit {
            broken.append("p99 \(Self.format(summary.p99Micros)) is above the limit of \(Self.format(limit))")
        }
        if let limit = errorMax, summary.errorRate > limit {
            broken.append("the error rate \(Self.percent(summary.errorRate)) is above the limit of \(Self.percent(limit))")
        }
        if let limit = throughputMin, summary.throughput < limit {
            broken.append("the throughput \(Int(summary.throughput))/s is below the limit of \(Int(limit))/s")
        }
        if sustained || throughputMin != nil, let schedule = summary.schedule, schedule.sustained == false {
            broken.append(
                "the rate asked was not sustained: \(schedule.backlogAtEnd) requests were unanswered as the schedule ended (more than a second's worth, or a tenth of a short run's), "
                    + "and the last answer came \(String(format1: schedule.drainSeconds)) s after it")
        }
        if summary.completed == 0 { broken.append("no request completed") }
        return broken
    }

    public static func format(_ micros: UInt64) -> String {
        micros >= 10_000
            ? "\(String(format1: Double(micros) / 1_000)) ms" : micros >= 1_000 ? "\(String(format2: Double(micros) / 1_000)) ms" : "\(micros) µs"
    }

    public static func percent(_ fraction: Double) -> String { "\(String(format3: fraction * 100))%" }
}

extension String {
    init(format1 value: Double) { self = Self.fixed(value, 1) }
    init(format2 value: Double) { self = Self.fixed(value, 2) }
    init(format3 value: Double) { self = Self.fixed(value, 3) }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
        } else if digits > 0 {
            text += "." + String(repeating: "0", count: digits)
        }
        return text
    }
}
