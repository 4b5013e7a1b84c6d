public import Foundation

/// How a provider answered.
public enum ProvisionOutcome: Sendable, Hashable {
    case unspecified
    case provided
    case noData
    /// 手動応答待ち: queued at the provider for staff.
    case manualPending
    /// Provided by staff after manual review.
    case manual
    /// Withheld by staff (不開示).
    case withheld
}

/// Where an inquiry stands, for polling.
public enum InquiryStatus: Sendable, Hashable {
    case unspecified
    case completed
    case processing
    case awaitingManual
    case failed
}

/// The 副本 of an answer, still encoded as the provider made them: the nodes in between pass
/// the bytes on, and only whoever reads them decodes (`records` in RenkeiWire).
public struct EncodedRecords: Sendable, Hashable {
    public var bytes: Data

    public init(_ bytes: Data = Data()) { self.bytes = bytes }
}

/// provider → network system → inquirer.
public struct ProvisionResult: Sendable, Hashable {
    public var outcome = ProvisionOutcome.unspecified
    public var providedAtMicros: Int64 = 0
    /// 提供側不開示
    public var providerNondisclosure = false
    public var recordSet = EncodedRecords()
    /// `recordSet` is sealed for the inquiring tenant; only it opens them.
    public var recordSetSealed = false

    public init() {}
}

/// What the business system receives.
public struct InquiryResult: Sendable, Hashable {
    public var receptionNumber = ""
    public var inquirer = ""
    public var provider = ""
    public var question = InquiryQuestion()
    public var outcome = ProvisionOutcome.unspecified
    public var requestedAtMicros: Int64 = 0
    public var providedAtMicros: Int64 = 0
    public var providerNondisclosure = false
    public var status = InquiryStatus.unspecified
    /// Set when status is failed.
    public var error: RenkeiError?
    public var recordSet = EncodedRecords()
    /// The business system that asked: the only one that reads this result.
    public var businessSystem = ""

    public init() {}
}

/// provider 中間サーバー → network system ("nws.deliver") → inquirer 中間サーバー ("ms.deliver"):
/// the answer to an inquiry that waited for staff, or its refusal (timeout).
public struct ProvisionDelivery: Sendable, Hashable {
    public var receptionNumber = ""
    public var inquirer = ""
    public var provider = ""
    public var question = InquiryQuestion()
    public var result = ProvisionResult()
    /// Set instead of a result when the provision failed (MANUAL_RESPONSE_TIMEOUT …).
    public var error: RenkeiError?
    public var requestedAtMicros: Int64 = 0
    /// The 符号 the provider knows the person by, for the network system's record.
    public var providerLinkCode = ""
    /// Set by the network system when it relays: the 符号 the inquirer knows the person by.
    public var inquirerLinkCode = ""
    /// The 情報提供許可証 the exchange was permitted under (its id).
    public var permitID: [UInt8] = []

    public init() {}
}

/// The answer to a delivery or a queue resolution.
public struct DeliveryReceipt: Sendable, Hashable {
    public var accepted = false

    public init(accepted: Bool = false) { self.accepted = accepted }
}

extension InquiryOutcome {
    /// The outcome a provision result carries; anything unrecognised reads as a refusal.
    public init(_ outcome: ProvisionOutcome) {
        switch outcome {
        case .provided: self = .provided
        case .noData: self = .noData
        case .manualPending: self = .manualPending
        case .manual: self = .manual
        case .withheld: self = .withheld
        case .unspecified: self = .denied
        }
    }
}

extension InquiryStatus {
    /// The name people and stores use: completed, processing, awaiting_manual (手動応答待ち) or failed.
    public var name: String {
        switch self {
        case .processing: "processing"
        case .awaitingManual: "awaiting_manual"
        case .failed: "failed"
        case .completed, .unspecified: "completed"
        }
    }
}
