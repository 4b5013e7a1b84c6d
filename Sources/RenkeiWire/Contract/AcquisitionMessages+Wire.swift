public import RenkeiCore

extension BeginAcquisitionRequest: WireConvertible {
    public init(wire: Renkei_V1_BeginAcquisitionRequest) {
        self.init()
        tenant = wire.tenant
        integratedAddressNumbers = wire.integratedAddressNumbers
    }

    public var wire: Renkei_V1_BeginAcquisitionRequest {
        var wire = Renkei_V1_BeginAcquisitionRequest()
        wire.tenant = tenant
        wire.integratedAddressNumbers = integratedAddressNumbers
        return wire
    }
}

extension BeginAcquisitionResponse: WireConvertible {
    public init(wire: Renkei_V1_BeginAcquisitionResponse) {
        self.init()
        processingNumbers = wire.processingNumbers
    }

    public var wire: Renkei_V1_BeginAcquisitionResponse {
        var wire = Renkei_V1_BeginAcquisitionResponse()
        wire.processingNumbers = processingNumbers
        return wire
    }
}

extension ProcessingNumbersRequest: WireConvertible {
    public init(wire: Renkei_V1_ProcessingNumbersRequest) {
        self.init()
        organization = wire.organization
        count = wire.count
    }

    public var wire: Renkei_V1_ProcessingNumbersRequest {
        var wire = Renkei_V1_ProcessingNumbersRequest()
        wire.organization = organization
        wire.count = count
        return wire
    }
}

extension ProcessingNumbersResponse: WireConvertible {
    public init(wire: Renkei_V1_ProcessingNumbersResponse) {
        self.init()
        processingNumbers = wire.processingNumbers
    }

    public var wire: Renkei_V1_ProcessingNumbersResponse {
        var wire = Renkei_V1_ProcessingNumbersResponse()
        wire.processingNumbers = processingNumbers
        return wire
    }
}

extension AcquisitionRequest: WireConvertible {
    public init(wire: Renkei_V1_AcquisitionRequest) {
        self.init()
        organization = wire.organization
        entries = wire.entries.map { Acquisition(myNumber: $0.myNumber, processingNumber: $0.processingNumber) }
    }

    public var wire: Renkei_V1_AcquisitionRequest {
        var wire = Renkei_V1_AcquisitionRequest()
        wire.organization = organization
        wire.entries = entries.map { entry in
            var acquisition = Renkei_V1_AcquisitionRequest.Acquisition()
            acquisition.myNumber = entry.myNumber
            acquisition.processingNumber = entry.processingNumber
            return acquisition
        }
        return wire
    }
}

extension LinkCodeIssueRequest: WireConvertible {
    public init(wire: Renkei_V1_LinkCodeIssueRequest) {
        self.init()
        organization = wire.organization
        entries = wire.entries.map { Entry(residentCode: $0.residentCode, processingNumber: $0.processingNumber) }
    }

    public var wire: Renkei_V1_LinkCodeIssueRequest {
        var wire = Renkei_V1_LinkCodeIssueRequest()
        wire.organization = organization
        wire.entries = entries.map { entry in
            var issue = Renkei_V1_LinkCodeIssueRequest.Entry()
            issue.residentCode = entry.residentCode
            issue.processingNumber = entry.processingNumber
            return issue
        }
        return wire
    }
}

extension LinkCodeNotification: WireConvertible {
    public init(wire: Renkei_V1_LinkCodeNotification) {
        self.init()
        organization = wire.organization
        entries = wire.entries.map { Entry(processingNumber: $0.processingNumber, linkCode: $0.linkCode) }
    }

    public var wire: Renkei_V1_LinkCodeNotification {
        var wire = Renkei_V1_LinkCodeNotification()
        wire.organization = organization
        wire.entries = entries.map { entry in
            var notified = Renkei_V1_LinkCodeNotification.Entry()
            notified.processingNumber = entry.processingNumber
            notified.linkCode = entry.linkCode
            return notified
        }
        return wire
    }
}

extension AcquisitionOutcome {
    init(wire: Renkei_V1_AcquisitionOutcome) {
        self.init(processingNumber: wire.processingNumber, status: Renkei_V1_Status.optional(wire.status, present: wire.hasStatus))
    }

    var wire: Renkei_V1_AcquisitionOutcome {
        var wire = Renkei_V1_AcquisitionOutcome()
        wire.processingNumber = processingNumber
        if let status { wire.status = .init(status) }
        return wire
    }
}

extension AcquisitionResponse: WireConvertible {
    public init(wire: Renkei_V1_AcquisitionResponse) {
        self.init(outcomes: wire.outcomes.map(AcquisitionOutcome.init(wire:)))
    }

    public var wire: Renkei_V1_AcquisitionResponse {
        var wire = Renkei_V1_AcquisitionResponse()
        wire.outcomes = outcomes.map(\.wire)
        return wire
    }
}

extension PersonSelector: WireConvertible {
    public init(wire: Renkei_V1_PersonSelector) {
        switch wire.person {
        case let .addressNumber(number)?: self.init(.addressNumber(number))
        case let .myNumber(number)?: self.init(.myNumber(number))
        case nil: self.init(nil)
        }
    }

    public var wire: Renkei_V1_PersonSelector {
        var wire = Renkei_V1_PersonSelector()
        switch person {
        case let .addressNumber(number)?: wire.addressNumber = number
        case let .myNumber(number)?: wire.myNumber = number
        case nil: break
        }
        return wire
    }
}
