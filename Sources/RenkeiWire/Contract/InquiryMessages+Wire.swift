public import RenkeiCore

extension AddresseeInquiryRequest: WireConvertible {
    public init(wire: Renkei_V1_AddresseeInquiryRequest) {
        self.init()
        switch wire.person {
        case let .addressNumber(number)?: person = .addressNumber(number)
        case let .myNumber(number)?: person = .myNumber(number)
        case nil: person = nil
        }
        question = InquiryQuestion(wire: wire.query)
        asynchronous = wire.asynchronous
    }

    public var wire: Renkei_V1_AddresseeInquiryRequest {
        var wire = Renkei_V1_AddresseeInquiryRequest()
        switch person {
        case let .addressNumber(number)?: wire.addressNumber = number
        case let .myNumber(number)?: wire.myNumber = number
        case nil: break
        }
        wire.query = question.wire
        wire.asynchronous = asynchronous
        return wire
    }
}

extension AddresseeResultRequest: WireConvertible {
    public init(wire: Renkei_V1_AddresseeResultRequest) {
        self.init()
        receptionNumber = wire.receptionNumber
    }

    public var wire: Renkei_V1_AddresseeResultRequest {
        var wire = Renkei_V1_AddresseeResultRequest()
        wire.receptionNumber = receptionNumber
        return wire
    }
}

extension TenantInquiryRequest: WireConvertible {
    public init(wire: Renkei_V1_TenantInquiryRequest) {
        self.init()
        tenant = wire.tenant
        switch wire.person {
        case let .integratedAddressNumber(number)?: person = .integratedAddressNumber(number)
        case let .addressNumber(number)?: person = .addressNumber(number)
        case nil: person = nil
        }
        question = InquiryQuestion(wire: wire.query)
        businessSystem = wire.businessSystem
        asynchronous = wire.asynchronous
    }

    public var wire: Renkei_V1_TenantInquiryRequest {
        var wire = Renkei_V1_TenantInquiryRequest()
        wire.tenant = tenant
        switch person {
        case let .integratedAddressNumber(number)?: wire.integratedAddressNumber = number
        case let .addressNumber(number)?: wire.addressNumber = number
        case nil: break
        }
        wire.query = question.wire
        wire.businessSystem = businessSystem
        wire.asynchronous = asynchronous
        return wire
    }
}

extension ResultRequest: WireConvertible {
    public init(wire: Renkei_V1_ResultRequest) {
        self.init()
        tenant = wire.tenant
        receptionNumber = wire.receptionNumber
        businessSystem = wire.businessSystem
    }

    public var wire: Renkei_V1_ResultRequest {
        var wire = Renkei_V1_ResultRequest()
        wire.tenant = tenant
        wire.receptionNumber = receptionNumber
        wire.businessSystem = businessSystem
        return wire
    }
}

extension NetworkInquiryRequest: WireConvertible {
    public init(wire: Renkei_V1_NetworkInquiryRequest) {
        self.init()
        receptionNumber = wire.receptionNumber
        inquirer = wire.inquirer
        inquirerLinkCode = wire.inquirerLinkCode
        question = InquiryQuestion(wire: wire.query)
        requestedAtMicros = wire.requestedAtMicros
    }

    public var wire: Renkei_V1_NetworkInquiryRequest {
        var wire = Renkei_V1_NetworkInquiryRequest()
        wire.receptionNumber = receptionNumber
        wire.inquirer = inquirer
        wire.inquirerLinkCode = inquirerLinkCode
        wire.query = question.wire
        wire.requestedAtMicros = requestedAtMicros
        return wire
    }
}

extension ProvisionRequest: WireConvertible {
    public init(wire: Renkei_V1_ProvisionRequest) {
        self.init()
        receptionNumber = wire.receptionNumber
        inquirer = wire.inquirer
        provider = wire.provider
        providerLinkCode = wire.providerLinkCode
        question = InquiryQuestion(wire: wire.query)
        permit = SealedPermit(wire: wire.permit)
        requestedAtMicros = wire.requestedAtMicros
    }

    public var wire: Renkei_V1_ProvisionRequest {
        var wire = Renkei_V1_ProvisionRequest()
        wire.receptionNumber = receptionNumber
        wire.inquirer = inquirer
        wire.provider = provider
        wire.providerLinkCode = providerLinkCode
        wire.query = question.wire
        wire.permit = permit.wire
        wire.requestedAtMicros = requestedAtMicros
        return wire
    }
}
