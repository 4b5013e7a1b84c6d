public import RenkeiCore

extension InquiryOutcome {
    /// The outcome a provision result carries; anything unrecognised reads as a refusal.
    public init(_ wire: Renkei_V1_Outcome) {
        switch wire {
        case .provided: self = .provided
        case .noData: self = .noData
        case .manualPending: self = .manualPending
        case .manual: self = .manual
        case .withheld: self = .withheld
        default: self = .denied
        }
    }
}
