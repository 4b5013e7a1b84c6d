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
    /// What the target was found doing before the run that makes its figures no measure of
    /// throughput (a training scenario's flags, inquiries waiting for staff).
    public var warnings: [String] = []

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

    public static func describe(_ plan: LoadPlan) -> String {
        let model: String
        switch plan.model {
        case let .open(rate): model = "open model, \(Int(rate))/s"
        case let .closed(concurrency): model = "closed model, \(concurrency) callers"
        }
        if let requests = plan.requests { return "\(model), \(requests) requests after a \(Int(plan.warmup.secondsValue)) s warm-up" }
        return "\(model), \(Int(plan.duration.secondsValue)) s after a \(Int(plan.warmup.secondsValue)) s warm-up"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
