/// How an inquiry ended, as the records and the business system see it.
public enum InquiryOutcome: String, Sendable, Hashable, CaseIterable {
    /// 提供済: the provider answered with data.
    case provided
    /// 該当なし: permitted, but the provider holds no published 副本 for the person.
    case noData = "no_data"
    /// 不許可 or any other refusal.
    case denied
    /// 手動応答待ち: waiting in the provider's manual-response queue.
    case manualPending = "manual_pending"
    /// Answered by staff after manual review.
    case manual
    /// Withheld by staff after manual review (不開示).
    case withheld
}
