#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The simulator's notion of now: the system clock shifted by an offset, so trainers can
/// move time (to show retention, expiry, fiscal years) without touching the machine.
public struct SimulationClock: Sendable {
    public let offset: Duration

    public init(offset: Duration = .zero) { self.offset = offset }

    /// Microseconds since 1970.
    public func nowMicros() -> Int64 {
        let seconds = Date().timeIntervalSince1970
        let (offsetSeconds, attoseconds) = offset.components
        return Int64(seconds * 1_000_000) + offsetSeconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    /// Now as a Date: what certificates are issued and judged at.
    public var now: Date { Date(timeIntervalSince1970: Double(nowMicros()) / 1_000_000) }

    /// Today's date in Japan (JST, UTC+9): the linkage runs on Japanese dates.
    public func today() -> CivilDate {
        let jstSeconds = nowMicros() / 1_000_000 + 9 * 3600
        return CivilDate(daysSinceEpoch: Int(jstSeconds.floorDivided(by: 86400)))
    }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
