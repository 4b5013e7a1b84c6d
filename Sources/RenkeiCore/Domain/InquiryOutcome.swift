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
    /// タイムアウト: no answer came in time (DEADLINE_EXCEEDED, MANUAL_RESPONSE_TIMEOUT).
    case timedOut = "timeout"
    /// エラー: the inquiry could not be carried out (a node down, a fault, an internal error).
    case failed
    /// 提供遅延: the provider answered after the inquirer had stopped waiting. The provider
    /// records it so at once; the network system and the inquirer, which recorded a timeout,
    /// record it so at reconciliation, with the provider's time, so that all three agree.
    case late

    /// How an inquiry that ended in `code` is recorded: a refusal as denied, a timeout as a
    /// timeout, anything else as failed (never a timeout or an outage recorded as a denial).
    public init(failure code: ErrorCode) {
        switch code {
        case .deadlineExceeded, .manualResponseTimeout: self = .timedOut
        default: self = code.isRefusal || code.kind == .request ? .denied : .failed
        }
    }
}
