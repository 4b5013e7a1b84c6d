import Foundation

extension LoadReport {
    /// One self-contained page: what ran, the verdict, the figures overall and per operation,
    /// and a chart each for the requested and achieved rate, requests in flight, latency,
    /// errors by code and memory over the seconds of the run.
    func html() -> String {
        let rows =
            [
                ("completed", "\(summary.completed)"), ("throughput", "\(Int(summary.throughput)) /s over \(String(format1: summary.seconds)) s"),
                ("errors", "\(summary.errors) (\(Thresholds.percent(summary.errorRate)))"),
                ("expected refusals", "\(summary.expectedRefusals)"), ("p50", Thresholds.format(summary.p50Micros)),
                ("p90", Thresholds.format(summary.p90Micros)),
                ("p99", Thresholds.format(summary.p99Micros)), ("p99.9", Thresholds.format(summary.p999Micros)),
                ("max", Thresholds.format(summary.maxMicros)),
            ] + scheduleRows + (cpuMicrosPerOperation.map { [("CPU per operation", "\(Int($0)) µs")] } ?? [])
            + (baseline.map { [("baseline throughput", "\(Int($0.summary.throughput)) /s"), ("renkei / baseline", "\(String(format2: $0.ratio))")] }
                ?? [])
            + (baseline?.cpuMicrosPerOperation.map { [("baseline CPU per operation", "\(Int($0)) µs")] } ?? [])
        let table = rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined()
        let buildRows = (build ?? [:]).sorted { $0.key < $1.key }.map { "<tr><th>\(Self.escape($0.key))</th><td>\(Self.escape($0.value))</td></tr>" }
            .joined()
        let operations = summary.operations.sorted { $0.key < $1.key }.map { name, operation in
            "<tr><th>\(Self.escape(name))</th><td>\(operation.completed)</td><td>\(operation.errors)</td><td>\(operation.expectedRefusals)</td>"
                + "<td>\(Thresholds.format(operation.p50Micros))</td><td>\(Thresholds.format(operation.p99Micros))</td><td>\(Thresholds.format(operation.maxMicros))</td></tr>"
        }.joined()
        let errors = summary.errorsByCode.sorted { $0.value > $1.value }.map { "<tr><th>\(Self.escape($0.key))</th><td>\($0.value)</td></tr>" }
            .joined()
        let verdict =
            violations.isEmpty
            ? "<p class=\"pass\">All thresholds met.</p>"
            : "<ul class=\"fail\">" + violations.map { "<li>\(Self.escape($0))</li>" }.joined() + "</ul>"
        let warningList = warnings.isEmpty ? "" : "<ul class=\"warn\">" + warnings.map { "<li>\(Self.escape($0))</li>" }.joined() + "</ul>"
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>renkei load report</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;max-width:62em;color:#222}
            table{border-collapse:collapse;margin:1em 0}th,td{padding:.25em .8em;border-bottom:1px solid #ddd;text-align:left}
            td{font-variant-numeric:tabular-nums}.pass{color:#060}.fail{color:#a00}.warn{color:#a60}svg{margin:1em 0;background:#fafafa}
            </style></head><body>
            <h1>renkei load report</h1>
            <p>\(Self.escape(target)) — started \(Self.escape(startedAt)) — \(Self.escape(Self.describe(plan)))</p>
            \(warningList)\(verdict)
            <table>\(table)</table>
            <h2>Per operation</h2>
            <table><tr><th>operation</th><th>completed</th><th>errors</th><th>expected refusals</th><th>p50</th><th>p99</th><th>max</th></tr>\(operations)</table>
            \(errors.isEmpty ? "" : "<h2>Errors by code</h2><table>\(errors)</table>")
            \(charts())
            \(buildRows.isEmpty ? "" : "<h2>Build and options</h2><table>\(buildRows)</table>")
            </body></html>
            """
    }

    private var scheduleRows: [(String, String)] {
        guard let schedule = summary.schedule else { return [] }
        let verdict = schedule.sustained.map { $0 ? "yes" : "no: the answers fell behind the schedule" } ?? "closed model"
        return [
            ("asked", "\(schedule.offered) requests in \(String(format1: schedule.scheduledSeconds)) s"),
            ("drain after the schedule", "\(String(format1: schedule.drainSeconds)) s"), ("backlog as it ended", "\(schedule.backlogAtEnd)"),
            ("sustained", verdict),
        ]
    }

    private func charts() -> String {
        var requested = [("requested (started)", seconds.map { Double($0.started) }), ("achieved (completed)", seconds.map { Double($0.completed) })]
        if case let .open(rate) = plan.model { requested.append(("target rate", seconds.map { _ in rate })) }
        if let baseline { requested.append(("baseline achieved", baseline.seconds.map { Double($0.completed) })) }
        var charts = [
            SVGChart.lines(title: "Requested and achieved rate", series: requested, unit: "requests per second"),
            SVGChart.lines(
                title: "Requests in flight, and the backlog (due and unanswered)",
                series: [("in flight", seconds.map { Double($0.inFlight) }), ("backlog", seconds.map { Double($0.backlog) })], unit: "requests"),
            SVGChart.lines(
                title: "Latency per second",
                series: [
                    ("p50", seconds.map { Double($0.p50Micros) / 1000 }), ("p99", seconds.map { Double($0.p99Micros) / 1000 }),
                    ("max", seconds.map { Double($0.maxMicros) / 1000 }),
                ], unit: "milliseconds"),
        ]
        // The codes that failed most, one line each; the rest together.
        let codes = summary.errorsByCode.sorted { $0.value > $1.value }.map(\.key)
        if !codes.isEmpty {
            let shown = Array(codes.prefix(5))
            var series = shown.map { code in (code, seconds.map { Double($0.errorsByCode[code] ?? 0) }) }
            if codes.count > shown.count {
                series.append(
                    ("other codes", seconds.map { second in Double(second.errorsByCode.filter { !shown.contains($0.key) }.values.reduce(0, +)) }))
            }
            charts.append(SVGChart.lines(title: "Errors by code", series: series, unit: "errors per second"))
        }
        charts.append(
            SVGChart.bars(
                title: "Latency percentiles over the run",
                values: [
                    ("p50", summary.p50Micros), ("p90", summary.p90Micros), ("p99", summary.p99Micros), ("p99.9", summary.p999Micros),
                    ("max", summary.maxMicros),
                ].map { ($0.0, Double($0.1) / 1000) }, unit: "milliseconds"))
        if !residentMemory.isEmpty {
            charts.append(
                SVGChart.lines(title: "Resident memory", series: [("RSS", residentMemory.map { Double($0) / 1_048_576 })], unit: "megabytes"))
        }
        return charts.joined(separator: "\n")
    }
}
