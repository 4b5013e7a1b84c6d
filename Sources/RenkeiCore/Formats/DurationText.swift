/// A span of time as people type it — 30s, 15m, 2h, 400d, with a leading "-" for a clock
/// moved back — for every option and query parameter that takes one.
public enum DurationText {
    /// A century either way: the seven-year retention and permit lifetimes need no more, and
    /// the simulation clock's microseconds stay far from overflowing.
    public static let maximumSeconds: Int64 = 36_500 * 86_400

    /// The seconds `text` says; refused with what is wrong, never trapping on a huge number.
    public static func seconds(_ text: String) throws(RenkeiError) -> Int64 {
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        guard let unit = body.last, let value = Int64(body.dropLast()), value >= 0 else {
            throw RenkeiError(.invalidRequest, "\"\(text.excerpt(32))\" is not a duration; write it like 30s, 15m, 2h or 400d")
        }
        let unitSeconds: Int64
        switch unit {
        case "s": unitSeconds = 1
        case "m": unitSeconds = 60
        case "h": unitSeconds = 3600
        case "d": unitSeconds = 86400
        default: throw RenkeiError(.invalidRequest, "\"\(text.excerpt(32))\" has an unknown unit; use s, m, h or d")
        }
        let (seconds, overflow) = value.multipliedReportingOverflow(by: unitSeconds)
        guard !overflow, seconds <= maximumSeconds else {
            throw RenkeiError(
                .invalidRequest,
                "\"\(text.excerpt(32))\" is out of range: a duration here is at most 36500d (a century), and a clock offset at most that either way")
        }
        return negative ? -seconds : seconds
    }
}
