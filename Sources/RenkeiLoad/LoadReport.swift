public import Foundation
public import RenkeiCore

/// The record of one load run: what was asked, what happened, second by second, and how
/// it compares with the transport alone. Written as JSON and as one self-contained HTML
/// page (inline SVG, no script, nothing fetched).
public struct LoadReport: Codable, Sendable {
    public struct Baseline: Codable, Sendable {
        public let summary: LoadStatistics.Summary
        public let seconds: [LoadStatistics.Second]
        /// renkei's throughput over the relay chain's.
        public let ratio: Double
        public let cpuMicrosPerOperation: Double?

        public init(summary: LoadStatistics.Summary, seconds: [LoadStatistics.Second], ratio: Double, cpuMicrosPerOperation: Double?) {
            self.summary = summary
            self.seconds = seconds
            self.ratio = ratio
            self.cpuMicrosPerOperation = cpuMicrosPerOperation
        }
    }

    public let startedAt: String
    public let target: String
    public let plan: LoadPlan
    public let mix: [String: Double]
    public let summary: LoadStatistics.Summary
    public let seconds: [LoadStatistics.Second]
    public let baseline: Baseline?
    public let violations: [String]
    public let residentMemory: [Int]
    /// CPU time of the sampled process per completed operation (for an embedded run, the
    /// whole network and the generator).
    public let cpuMicrosPerOperation: Double?
    /// What ran, where, and how: version and commit, machine, the command line.
    public var build: [String: String]?

    public init(
        startedAt: String, target: String, plan: LoadPlan, mix: LoadMix, summary: LoadStatistics.Summary, seconds: [LoadStatistics.Second],
        baseline: Baseline?,
        violations: [String], residentMemory: [Int], cpuMicrosPerOperation: Double?
    ) {
        self.startedAt = startedAt
        self.target = target
        self.plan = plan
        self.mix = Dictionary(mix.operations.map { ($0.name, $0.weight) }, uniquingKeysWith: +)
        self.summary = summary
        self.seconds = seconds
        self.baseline = baseline
        self.violations = violations
        self.residentMemory = residentMemory
        self.cpuMicrosPerOperation = cpuMicrosPerOperation
    }

    /// Writes report.json and report.html into `directory`.
    public func write(to directory: URL) throws(RenkeiError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(self).write(to: directory.appendingPathComponent("report.json"), options: .atomic)
            try Data(html().utf8).write(to: directory.appendingPathComponent("report.html"), options: .atomic)
        } catch {
            throw RenkeiError(.internalError, "cannot write the report to \(directory.path): \(error)")
        }
    }

    func html() -> String {
        let rows =
            [
                ("completed", "\(summary.completed)"), ("throughput", "\(Int(summary.throughput)) /s"),
                ("errors", "\(summary.errors) (\(Thresholds.percent(summary.errorRate)))"),
                ("expected refusals", "\(summary.expectedRefusals)"), ("p50", Thresholds.format(summary.p50Micros)),
                ("p90", Thresholds.format(summary.p90Micros)),
                ("p99", Thresholds.format(summary.p99Micros)), ("p99.9", Thresholds.format(summary.p999Micros)),
                ("max", Thresholds.format(summary.maxMicros)),
            ] + (cpuMicrosPerOperation.map { [("CPU per operation", "\(Int($0)) µs")] } ?? [])
            + (baseline.map { [("baseline throughput", "\(Int($0.summary.throughput)) /s"), ("renkei / baseline", "\(String(format2: $0.ratio))")] }
                ?? [])
            + (baseline?.cpuMicrosPerOperation.map { [("baseline CPU per operation", "\(Int($0)) µs")] } ?? [])
        let table = rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined()
        let errors = summary.errorsByCode.sorted { $0.value > $1.value }.map { "<tr><th>\(Self.escape($0.key))</th><td>\($0.value)</td></tr>" }
            .joined()
        let verdict =
            violations.isEmpty
            ? "<p class=\"pass\">All thresholds met.</p>"
            : "<ul class=\"fail\">" + violations.map { "<li>\(Self.escape($0))</li>" }.joined() + "</ul>"
        let throughput = SVGChart.lines(
            title: "Throughput (completed per second)",
            series: [("renkei", seconds.map { Double($0.completed) })]
                + (baseline.map { [("baseline", $0.seconds.map { Double($0.completed) })] } ?? []),
            unit: "/s"
        )
        let latency = SVGChart.lines(
            title: "Latency per second (ms)",
            series: [
                ("p50", seconds.map { Double($0.p50Micros) / 1000 }), ("p99", seconds.map { Double($0.p99Micros) / 1000 }),
                ("max", seconds.map { Double($0.maxMicros) / 1000 }),
            ], unit: "ms"
        )
        let percentiles = SVGChart.bars(
            title: "Latency percentiles (ms)",
            values: [
                ("p50", summary.p50Micros), ("p90", summary.p90Micros), ("p99", summary.p99Micros), ("p99.9", summary.p999Micros),
                ("max", summary.maxMicros),
            ]
            .map { ($0.0, Double($0.1) / 1000) }
        )
        let memory =
            residentMemory.isEmpty
            ? "" : SVGChart.lines(title: "Resident memory (MB)", series: [("RSS", residentMemory.map { Double($0) / 1_048_576 })], unit: "MB")
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>renkei load report</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;max-width:60em;color:#222}
            table{border-collapse:collapse;margin:1em 0}th,td{padding:.25em .8em;border-bottom:1px solid #ddd;text-align:left}
            td{font-variant-numeric:tabular-nums}.pass{color:#060}.fail{color:#a00}svg{margin:1em 0;background:#fafafa}
            </style></head><body>
            <h1>renkei load report</h1>
            <p>\(Self.escape(target)) — started \(Self.escape(startedAt)) — \(Self.escape(Self.describe(plan)))</p>
            \(verdict)
            <table>\(table)</table>
            \(errors.isEmpty ? "" : "<h2>Errors by code</h2><table>\(errors)</table>")
            \(throughput)\(latency)\(percentiles)\(memory)
            </body></html>
            """
    }

    public static func describe(_ plan: LoadPlan) -> String {
        let model: String
        switch plan.model {
        case let .open(rate): model = "open model, \(Int(rate))/s"
        case let .closed(concurrency): model = "closed model, \(concurrency) callers"
        }
        return "\(model), \(Int(plan.duration.secondsValue)) s after a \(Int(plan.warmup.secondsValue)) s warm-up"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// Plain SVG charts, so the report needs nothing from the network.
enum SVGChart {
    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]

    static func lines(title: String, series: [(String, [Double])], unit: String) -> String {
        let width = 720.0, height = 240.0, left = 60.0, bottom = 30.0, top = 30.0
        let count = max(series.map(\.1.count).max() ?? 0, 2)
        let peak = max(series.flatMap(\.1).max() ?? 1, 1e-9)
        func x(_ index: Int) -> Double { left + (width - left - 10) * Double(index) / Double(count - 1) }
        func y(_ value: Double) -> Double { top + (height - top - bottom) * (1 - value / peak) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(title)\">"
        svg += "<text x=\"\(left)\" y=\"18\" font-size=\"14\">\(title)</text>"
        svg += "<line x1=\"\(left)\" y1=\"\(y(0))\" x2=\"\(width - 10)\" y2=\"\(y(0))\" stroke=\"#999\"/>"
        svg +=
            "<text x=\"4\" y=\"\(y(peak) + 4)\" font-size=\"11\">\(String(format1: peak)) \(unit)</text><text x=\"4\" y=\"\(y(0))\" font-size=\"11\">0</text>"
        svg += "<text x=\"\(width - 80)\" y=\"\(height - 8)\" font-size=\"11\">\(count) s</text>"
        for (index, (name, values)) in series.enumerated() where !values.isEmpty {
            let points = values.enumerated().map { "\(String(format1: x($0.offset))),\(String(format1: y($0.element)))" }.joined(separator: " ")
            let color = colors[index % colors.count]
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(points)\"/>"
            svg += "<text x=\"\(left + 10 + Double(index) * 90)\" y=\"\(height - 8)\" font-size=\"11\" fill=\"\(color)\">\(name)</text>"
        }
        return svg + "</svg>"
    }

    static func bars(title: String, values: [(String, Double)]) -> String {
        let width = 720.0, height = 220.0, left = 60.0, bottom = 30.0, top = 30.0
        let peak = max(values.map(\.1).max() ?? 1, 1e-9)
        let slot = (width - left - 10) / Double(max(values.count, 1))
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(title)\">"
        svg += "<text x=\"\(left)\" y=\"18\" font-size=\"14\">\(title)</text>"
        for (index, (name, value)) in values.enumerated() {
            let barHeight = (height - top - bottom) * value / peak
            let x = left + Double(index) * slot + slot * 0.15
            svg +=
                "<rect x=\"\(String(format1: x))\" y=\"\(String(format1: height - bottom - barHeight))\" width=\"\(String(format1: slot * 0.7))\" height=\"\(String(format1: barHeight))\" fill=\"#1f77b4\"/>"
            svg += "<text x=\"\(String(format1: x))\" y=\"\(height - 12)\" font-size=\"11\">\(name)</text>"
            svg +=
                "<text x=\"\(String(format1: x))\" y=\"\(String(format1: height - bottom - barHeight - 4))\" font-size=\"11\">\(String(format2: value))</text>"
        }
        return svg + "</svg>"
    }
}
