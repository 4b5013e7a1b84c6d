/// Plain SVG charts, so the report needs nothing from the network: each with a title, both
/// axes labelled, ticks at round values, grid lines and a legend.
enum SVGChart {
    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
    static let width = 760.0
    static let left = 70.0
    static let right = 16.0
    static let top = 34.0
    static let bottom = 58.0

    /// Round tick values from 0 to at least `peak`: steps of 1, 2 or 5 × 10^k, about `count` of them.
    static func ticks(peak: Double, count: Int = 5) -> [Double] {
        guard peak > 0, peak.isFinite else { return [0, 1] }
        let raw = peak / Double(max(count, 1))
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? magnitude * 10
        var value = 0.0
        var values = [value]
        while value < peak {
            value += step
            values.append(value)
        }
        return values
    }

    static func label(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format2: value)
    }

    /// Lines over the seconds of the run: x is the second, y in `unit`.
    static func lines(title: String, series: [(String, [Double])], unit: String, x xTitle: String = "seconds of the measured run") -> String {
        let height = 280.0
        let count = max(series.map(\.1.count).max() ?? 0, 2)
        let yTicks = ticks(peak: series.flatMap(\.1).max() ?? 0)
        let peak = yTicks.last ?? 1
        func x(_ index: Int) -> Double { left + (width - left - right) * Double(index) / Double(count - 1) }
        func y(_ value: Double) -> Double { top + (height - top - bottom) * (1 - value / peak) }
        var svg = frame(title: title, height: height, yTitle: unit, xTitle: xTitle)
        svg += grid(yTicks, y)
        // Whole seconds, numbered from 1 as the per-second line prints them.
        let step = max(1, Int((ticks(peak: Double(count), count: 8).dropFirst().first ?? 1).rounded(.up)))
        for second in stride(from: step, through: count, by: step) {
            let position = x(second - 1)
            svg += "<line x1=\"\(f(position))\" y1=\"\(f(y(0)))\" x2=\"\(f(position))\" y2=\"\(f(y(0) + 5))\" stroke=\"#666\"/>"
            svg += "<text x=\"\(f(position))\" y=\"\(f(y(0) + 17))\" font-size=\"11\" text-anchor=\"middle\">\(second)</text>"
        }
        svg += axes(height: height)
        var legendX = left
        for (index, (name, values)) in series.enumerated() where !values.isEmpty {
            let color = colors[index % colors.count]
            let points = values.enumerated().map { "\(f(x($0.offset))),\(f(y($0.element)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(points)\"/>"
            svg += legend(at: legendX, name, color, height: height)
            legendX += 34 + 6.5 * Double(name.count)
        }
        return svg + "</svg>"
    }

    /// One bar per value, y in `unit`.
    static func bars(title: String, values: [(String, Double)], unit: String) -> String {
        let height = 260.0
        let yTicks = ticks(peak: values.map(\.1).max() ?? 0)
        let peak = yTicks.last ?? 1
        func y(_ value: Double) -> Double { top + (height - top - bottom) * (1 - value / peak) }
        let slot = (width - left - right) / Double(max(values.count, 1))
        var svg = frame(title: title, height: height, yTitle: unit, xTitle: "percentile")
        svg += grid(yTicks, y)
        for (index, (name, value)) in values.enumerated() {
            let x = left + Double(index) * slot + slot * 0.15
            svg += "<rect x=\"\(f(x))\" y=\"\(f(y(value)))\" width=\"\(f(slot * 0.7))\" height=\"\(f(y(0) - y(value)))\" fill=\"#1f77b4\"/>"
            svg += "<text x=\"\(f(x + slot * 0.35))\" y=\"\(f(y(0) + 17))\" font-size=\"11\" text-anchor=\"middle\">\(name)</text>"
            svg +=
                "<text x=\"\(f(x + slot * 0.35))\" y=\"\(f(y(value) - 4))\" font-size=\"11\" text-anchor=\"middle\">\(String(format2: value))</text>"
        }
        return svg + axes(height: height) + "</svg>"
    }

    private static func frame(title: String, height: Double, yTitle: String, xTitle: String) -> String {
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(LoadReport.escape(title))\">"
        svg += "<text x=\"\(left)\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(LoadReport.escape(title))</text>"
        let middle = top + (height - top - bottom) / 2
        svg +=
            "<text x=\"14\" y=\"\(f(middle))\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(f(middle)))\">\(LoadReport.escape(yTitle))</text>"
        svg +=
            "<text x=\"\(f(left + (width - left - right) / 2))\" y=\"\(f(height - 28))\" font-size=\"11\" text-anchor=\"middle\">\(LoadReport.escape(xTitle))</text>"
        return svg
    }

    /// A grid line and a label at each tick of the y axis.
    private static func grid(_ ticks: [Double], _ y: (Double) -> Double) -> String {
        ticks.map { value in
            "<line x1=\"\(left)\" y1=\"\(f(y(value)))\" x2=\"\(width - right)\" y2=\"\(f(y(value)))\" stroke=\"#e4e4e4\"/>"
                + "<text x=\"\(left - 6)\" y=\"\(f(y(value) + 4))\" font-size=\"11\" text-anchor=\"end\">\(label(value))</text>"
        }.joined()
    }

    private static func axes(height: Double) -> String {
        let base = height - bottom
        return "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(f(base))\" stroke=\"#666\"/>"
            + "<line x1=\"\(left)\" y1=\"\(f(base))\" x2=\"\(width - right)\" y2=\"\(f(base))\" stroke=\"#666\"/>"
    }

    private static func legend(at x: Double, _ name: String, _ color: String, height: Double) -> String {
        return "<rect x=\"\(f(x))\" y=\"\(f(height - 13))\" width=\"10\" height=\"3\" fill=\"\(color)\"/>"
            + "<text x=\"\(f(x + 14))\" y=\"\(f(height - 8))\" font-size=\"11\" fill=\"\(color)\">\(LoadReport.escape(name))</text>"
    }

    private static func f(_ value: Double) -> String { String(format1: value) }
}
