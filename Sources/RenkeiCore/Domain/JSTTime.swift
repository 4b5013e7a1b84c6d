/// Times as people in the field read them: ISO 8601 in JST (+09:00), to the millisecond.
/// Every interface, the journal, records and reports print times this way.
public enum JSTTime {
    static let offsetSeconds: Int64 = 9 * 3600

    /// Microseconds since 1970 as `2026-12-02T13:07:04.123+09:00`.
    public static func iso8601(_ micros: Int64) -> String {
        let seconds = micros.floorDivided(by: 1_000_000) + offsetSeconds
        let date = CivilDate(daysSinceEpoch: Int(seconds.floorDivided(by: 86400)))
        let second = Int(seconds - seconds.floorDivided(by: 86400) * 86400)
        let millis = Int((micros - micros.floorDivided(by: 1_000_000) * 1_000_000) / 1000)
        return "\(date)T\(pad(second / 3600)):\(pad(second / 60 % 60)):\(pad(second % 60)).\(pad(millis, 3))+09:00"
    }

    /// Reads `2026-12-02`, `2026-12-02T13:07`, `2026-12-02T13:07:04` (JST unless it ends in
    /// `Z` or `+09:00`), into microseconds since 1970; nil when it is none of these.
    public static func parse(_ text: String) -> Int64? {
        var body = Substring(text)
        var offset = offsetSeconds
        if body.hasSuffix("Z") {
            offset = 0
            body = body.dropLast()
        } else if body.hasSuffix("+09:00") {
            body = body.dropLast(6)
        }
        let parts = body.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        guard let day = parts.first, let date = try? CivilDate(String(day)) else { return nil }
        var seconds = Int64(date.daysSinceEpoch) * 86400
        if parts.count == 2 {
            let fields = parts[1].split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
            guard (2...3).contains(fields.count), let hour = fields[0], let minute = fields[1], (0..<24).contains(hour), (0..<60).contains(minute)
            else { return nil }
            let second = fields.count == 3 ? fields[2] : 0
            guard let second, (0..<60).contains(second) else { return nil }
            seconds += Int64(hour * 3600 + minute * 60 + second)
        }
        return (seconds - offset) * 1_000_000
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
