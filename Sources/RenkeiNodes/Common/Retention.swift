public import RenkeiCore
import RenkeiStore

/// 情報提供等記録 are kept seven years (番号法 §23, 施行令), then deleted. The cut-off follows
/// the simulation clock, so shifting the clock shows the purge.
public enum Retention {
    public static let years = 7

    /// Midnight JST of the day `years` years before `today`, in microseconds since 1970.
    public static func cutoff(today: CivilDate) -> Int64 {
        let day = today.month == 2 && today.day == 29 ? 28 : today.day
        let start = (try? CivilDate(year: today.year - years, month: today.month, day: day)) ?? today
        return (Int64(start.daysSinceEpoch) * 86400 - 9 * 3600) * 1_000_000
    }

    static func purge(_ environment: NodeEnvironment) async throws(RenkeiError) -> Int {
        let today = environment.clock.today()
        let cutoff = cutoff(today: today)
        // Used permits matter only until they expire; a day later they cannot be replayed.
        try await environment.store.commit([.usedPermitsPruned(expiredBefore: environment.clock.nowMicros() - 86_400_000_000)])
        let count = try await environment.store.countRecords(requestedBefore: cutoff)
        guard count > 0 else { return 0 }
        try await environment.store.commit([
            .recordsPurged(requestedBefore: cutoff),
            environment.audit(
                .administration, actor: "retention",
                "purged \(count) 情報提供等記録 requested before \(today.year - years)-\(today.month)-\(today.day) (7-year retention)"),
        ])
        return count
    }
}
