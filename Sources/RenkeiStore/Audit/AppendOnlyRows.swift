public import RenkeiCore

/// The append-only rows of a node's file as `audit verify` reads them: each row's digest and
/// the audit entry it names. Checked against the log: every row must match its entry (not
/// edited), every entry must still have its row unless a later removal entry covers it (not
/// deleted), and no row may be without one (not inserted).
public struct AppendOnlyRows: Sendable {
    public struct Row: Sendable {
        public let auditSequence: Int?
        public let digest: [UInt8]
        /// How a person finds the row: "records row id 12".
        public let label: String

        public init(auditSequence: Int?, digest: [UInt8], label: String) {
            self.auditSequence = auditSequence
            self.digest = digest
            self.label = label
        }
    }

    public var records: [Row] = []
    public var permits: [Row] = []
    public var staff: [Row] = []

    public init() {}

    private struct Written {
        let sequence: Int
        let fields: [String: String]
    }

    func check(against entries: [AuditEntry]) throws(AuditVerifier.Failure) -> (records: Int, permits: Int, staff: Int) {
        var written: [AuditEvent.Kind: [Int: Written]] = [:]
        var removals = [Written]()
        for entry in entries {
            switch entry.event.kind {
            case .recordWritten, .permitUsed, .staffWritten:
                written[entry.event.kind, default: [:]][entry.sequence] = Written(
                    sequence: entry.sequence, fields: RowEntryDetail.parse(entry.event.detail))
            case .rowsRemoved:
                var fields = RowEntryDetail.parse(entry.event.detail)
                fields["table"] = entry.event.detail.split(separator: " ").first.map(String.init)
                removals.append(Written(sequence: entry.sequence, fields: fields))
            default: break
            }
        }
        /// Whether a removal entry after `entry` covers it: a reset, or a removal from `table`
        /// of rows whose `field` is before the removal's `bound`.
        func removed(_ entry: Written, table: String, field: String, bound: String) -> Bool {
            removals.contains { removal in
                removal.sequence > entry.sequence
                    && (removal.fields["table"] == "all"
                        || (removal.fields["table"] == table
                            && (Int64(removal.fields[bound] ?? "") ?? .min) > (Int64(entry.fields[field] ?? "") ?? .max)))
            }
        }
        try check(
            records, written[.recordWritten] ?? [:], what: "情報提供等記録", table: "records",
            removed: { removed($0, table: "records", field: "requested_at", bound: "requested_before") })
        try check(
            permits, written[.permitUsed] ?? [:], what: "used permit", table: "used_permits",
            removed: { removed($0, table: "used_permits", field: "expires_at", bound: "expires_before") })
        // A staff account is rewritten as it changes: only its newest entry must have a row.
        let staffEntries = written[.staffWritten] ?? [:]
        var newest = [String: Int]()
        for entry in staffEntries.values {
            let account = "\(entry.fields["tenant"] ?? "")/\(entry.fields["user"] ?? "")"
            newest[account] = max(newest[account] ?? -1, entry.sequence)
        }
        let current = Set(newest.values)
        try check(
            staff, staffEntries, what: "staff account", table: "staff", removed: { !current.contains($0.sequence) },
            stale: { sequence in
                guard let entry = staffEntries[sequence] else { return false }
                return newest["\(entry.fields["tenant"] ?? "")/\(entry.fields["user"] ?? "")"] != sequence
            })
        return (records.count, permits.count, staff.count)
    }

    private func check(
        _ rows: [Row], _ entries: [Int: Written], what: String, table: String, removed: (Written) -> Bool,
        stale: (Int) -> Bool = { _ in false }
    ) throws(AuditVerifier.Failure) {
        var matched = Set<Int>()
        for row in rows {
            guard let sequence = row.auditSequence else {
                throw AuditVerifier.Failure(entry: nil, reason: "\(row.label) is in no audit entry (inserted outside renkei)")
            }
            guard let entry = entries[sequence], let digest = entry.fields["sha256"] else {
                throw AuditVerifier.Failure(
                    entry: nil, reason: "\(row.label) names entry \(sequence), which is not the entry of a \(what) (inserted outside renkei)")
            }
            guard digest == hex(row.digest) else {
                throw AuditVerifier.Failure(entry: sequence, reason: "\(row.label) does not match the digest its entry holds (changed)")
            }
            guard matched.insert(sequence).inserted else {
                throw AuditVerifier.Failure(entry: sequence, reason: "\(row.label) is a second row for one entry (inserted outside renkei)")
            }
            guard !stale(sequence) else {
                throw AuditVerifier.Failure(
                    entry: sequence, reason: "\(row.label) is an older version of the account than the log's newest (rolled back)")
            }
        }
        for entry in entries.values.sorted(by: { $0.sequence < $1.sequence }) where !matched.contains(entry.sequence) && !removed(entry) {
            throw AuditVerifier.Failure(
                entry: entry.sequence, reason: "the \(what) this entry wrote is missing from the \(table) table (deleted outside renkei)")
        }
    }
}
