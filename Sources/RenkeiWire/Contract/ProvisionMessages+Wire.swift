public import Foundation
public import RenkeiCore

extension ProvisionOutcome {
    init(wire: Renkei_V1_Outcome) {
        switch wire {
        case .provided: self = .provided
        case .noData: self = .noData
        case .manualPending: self = .manualPending
        case .manual: self = .manual
        case .withheld: self = .withheld
        default: self = .unspecified
        }
    }

    var wire: Renkei_V1_Outcome {
        switch self {
        case .unspecified: .unspecified
        case .provided: .provided
        case .noData: .noData
        case .manualPending: .manualPending
        case .manual: .manual
        case .withheld: .withheld
        }
    }
}

extension InquiryStatus {
    init(wire: Renkei_V1_InquiryStatus) {
        switch wire {
        case .completed: self = .completed
        case .processing: self = .processing
        case .awaitingManual: self = .awaitingManual
        case .failed: self = .failed
        default: self = .unspecified
        }
    }

    var wire: Renkei_V1_InquiryStatus {
        switch self {
        case .unspecified: .statusUnspecified
        case .completed: .completed
        case .processing: .processing
        case .awaitingManual: .awaitingManual
        case .failed: .failed
        }
    }
}

/// The 副本 of a result travel as the bytes of a RecordSet: these read and write them as
/// records. Reading decodes; nodes that only pass results on never do.
extension EncodedRecords {
    public init(_ records: [DuplicateRecord]) {
        guard !records.isEmpty else {
            self.init()
            return
        }
        var set = Renkei_V1_RecordSet()
        set.records = records.map(Renkei_V1_DuplicateRecord.init)
        // Safe to fall back to none: serializing a message built here cannot fail.
        self.init((try? set.serializedData()) ?? Data())
    }

    /// The records, each validated as a 副本 is where it comes in. Bytes that do not decode,
    /// and records that do not validate, read as none: they were made by a provider of this
    /// network, which validated them at registration, so that cannot happen short of a bug,
    /// and the outcome still says what happened.
    public var records: [DuplicateRecord] {
        guard !bytes.isEmpty, let set = try? Renkei_V1_RecordSet(serializedBytes: bytes) else { return [] }
        return set.records.compactMap { try? DuplicateRecord($0) }
    }
}

extension ProvisionResult: WireConvertible {
    public init(wire: Renkei_V1_ProvisionResult) {
        self.init()
        outcome = ProvisionOutcome(wire: wire.outcome)
        providedAtMicros = wire.providedAtMicros
        providerNondisclosure = wire.providerNondisclosure
        recordSet = EncodedRecords(wire.recordSet)
        recordSetSealed = wire.recordSetSealed
    }

    public var wire: Renkei_V1_ProvisionResult {
        var wire = Renkei_V1_ProvisionResult()
        wire.outcome = outcome.wire
        wire.providedAtMicros = providedAtMicros
        wire.providerNondisclosure = providerNondisclosure
        wire.recordSet = recordSet.bytes
        wire.recordSetSealed = recordSetSealed
        return wire
    }
}

extension InquiryResult: WireConvertible {
    public init(wire: Renkei_V1_InquiryResult) {
        self.init()
        receptionNumber = wire.receptionNumber
        inquirer = wire.inquirer
        provider = wire.provider
        question = InquiryQuestion(wire: wire.query)
        outcome = ProvisionOutcome(wire: wire.outcome)
        requestedAtMicros = wire.requestedAtMicros
        providedAtMicros = wire.providedAtMicros
        providerNondisclosure = wire.providerNondisclosure
        status = InquiryStatus(wire: wire.status)
        error = Renkei_V1_Status.optional(wire.error, present: wire.hasError)
        recordSet = EncodedRecords(wire.recordSet)
        businessSystem = wire.businessSystem
    }

    public var wire: Renkei_V1_InquiryResult {
        var wire = Renkei_V1_InquiryResult()
        wire.receptionNumber = receptionNumber
        wire.inquirer = inquirer
        wire.provider = provider
        wire.query = question.wire
        wire.outcome = outcome.wire
        wire.requestedAtMicros = requestedAtMicros
        wire.providedAtMicros = providedAtMicros
        wire.providerNondisclosure = providerNondisclosure
        wire.status = status.wire
        if let error { wire.error = .init(error) }
        wire.recordSet = recordSet.bytes
        wire.businessSystem = businessSystem
        return wire
    }
}

extension ProvisionDelivery: WireConvertible {
    public init(wire: Renkei_V1_ProvisionDelivery) {
        self.init()
        receptionNumber = wire.receptionNumber
        inquirer = wire.inquirer
        provider = wire.provider
        question = InquiryQuestion(wire: wire.query)
        result = ProvisionResult(wire: wire.result)
        error = Renkei_V1_Status.optional(wire.error, present: wire.hasError)
        requestedAtMicros = wire.requestedAtMicros
        providerLinkCode = wire.providerLinkCode
        inquirerLinkCode = wire.inquirerLinkCode
        permitID = Array(wire.permitID.prefix(64))
    }

    public var wire: Renkei_V1_ProvisionDelivery {
        var wire = Renkei_V1_ProvisionDelivery()
        wire.receptionNumber = receptionNumber
        wire.inquirer = inquirer
        wire.provider = provider
        wire.query = question.wire
        if error == nil { wire.result = result.wire }
        if let error { wire.error = .init(error) }
        wire.requestedAtMicros = requestedAtMicros
        wire.providerLinkCode = providerLinkCode
        wire.inquirerLinkCode = inquirerLinkCode
        wire.permitID = Data(permitID)
        return wire
    }
}

extension DeliveryReceipt: WireConvertible {
    public init(wire: Renkei_V1_DeliveryReceipt) { self.init(accepted: wire.accepted) }

    public var wire: Renkei_V1_DeliveryReceipt {
        var wire = Renkei_V1_DeliveryReceipt()
        wire.accepted = accepted
        return wire
    }
}
