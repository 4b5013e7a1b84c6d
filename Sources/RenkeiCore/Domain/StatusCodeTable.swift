/// The two status levels of an inquiry result (domain.md §5.2): 照会ステータス（明細単位）
/// and 照会ステータス（特定個人情報名単位）.
///
/// Only one pairing is evidenced: 明細 09 with 特定個人情報名 01 is a normal completion
/// with data [C]. The rest are stand-ins, set in the layout catalogue.
public struct StatusCodeTable: Sendable, Hashable {
    public struct Codes: Sendable, Hashable, Codable {
        /// 照会ステータス（明細単位）
        public let detail: String
        /// 照会ステータス（特定個人情報名単位）; empty while there is no answer.
        public let information: String

        public init(detail: String, information: String) {
            self.detail = detail
            self.information = information
        }
    }

    /// Keys: processing, awaiting_manual, failed, and completed/<outcome> (provided,
    /// no_data, manual, withheld).
    public let entries: [String: Codes]

    public init(entries: [String: Codes]) {
        self.entries = Self.standIn.entries.merging(entries) { _, configured in configured }
    }

    private init(standIn entries: [String: Codes]) { self.entries = entries }

    public static let standIn = StatusCodeTable(standIn: [
        "completed/provided": Codes(detail: "09", information: "01"),
        "completed/manual": Codes(detail: "09", information: "01"),
        "completed/no_data": Codes(detail: "09", information: "02"),
        "completed/withheld": Codes(detail: "09", information: "03"),
        "processing": Codes(detail: "01", information: ""),
        "awaiting_manual": Codes(detail: "02", information: ""),
        "failed": Codes(detail: "99", information: ""),
    ])

    /// The codes for a result's status and outcome.
    public func codes(status: String, outcome: String) -> Codes {
        entries[status == "completed" ? "completed/\(outcome)" : status] ?? Codes(detail: "99", information: "")
    }
}
