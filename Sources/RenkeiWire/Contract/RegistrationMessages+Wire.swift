public import RenkeiCore

extension ResidentRegistration: WireConvertible {
    public init(wire: Renkei_V1_ResidentRegistration) {
        self.init()
        residents = wire.residents.map { Resident(myNumber: $0.myNumber, residentCode: $0.residentCode) }
    }

    public var wire: Renkei_V1_ResidentRegistration {
        var wire = Renkei_V1_ResidentRegistration()
        wire.residents = residents.map { resident in
            var entry = Renkei_V1_ResidentRegistration.Resident()
            entry.myNumber = resident.myNumber
            entry.residentCode = resident.residentCode
            return entry
        }
        return wire
    }
}

extension AddresseeRegistration: WireConvertible {
    public init(wire: Renkei_V1_AddresseeRegistration) {
        self.init()
        tenant = wire.tenant
        acquireLinkCodes = wire.acquireLinkCodes
        addressees = wire.addressees.map { entry in
            var addressee = Addressee()
            addressee.addressNumber = entry.addressNumber
            addressee.integratedAddressNumber = entry.integratedAddressNumber
            addressee.myNumber = entry.myNumber
            addressee.name = entry.name
            addressee.acquireLinkCode = entry.acquireLinkCode
            return addressee
        }
    }

    public var wire: Renkei_V1_AddresseeRegistration {
        var wire = Renkei_V1_AddresseeRegistration()
        wire.tenant = tenant
        wire.acquireLinkCodes = acquireLinkCodes
        wire.addressees = addressees.map { addressee in
            var entry = Renkei_V1_AddresseeRegistration.Addressee()
            entry.addressNumber = addressee.addressNumber
            entry.integratedAddressNumber = addressee.integratedAddressNumber
            entry.myNumber = addressee.myNumber
            entry.name = addressee.name
            entry.acquireLinkCode = addressee.acquireLinkCode
            return entry
        }
        return wire
    }
}

extension AddresseeRegistrationResponse: WireConvertible {
    public init(wire: Renkei_V1_AddresseeRegistrationResponse) {
        self.init(registered: wire.registered)
        linkCodesAcquired = wire.linkCodesAcquired
        failures = wire.failures.map(AcquisitionOutcome.init(wire:))
    }

    public var wire: Renkei_V1_AddresseeRegistrationResponse {
        var wire = Renkei_V1_AddresseeRegistrationResponse()
        wire.registered = registered
        wire.linkCodesAcquired = linkCodesAcquired
        wire.failures = failures.map(\.wire)
        return wire
    }
}

extension DuplicateRegistration: WireConvertible {
    /// Each 副本 is validated here, where it comes in, with the entry it is in named.
    public init(wire: Renkei_V1_DuplicateRegistration) throws(RenkeiError) {
        self.init()
        tenant = wire.tenant
        businessSystem = wire.businessSystem
        userID = wire.userID
        departmentCode = wire.departmentCode
        operatorToken = wire.operatorToken
        guard wire.entries.count <= 10_000 else {
            throw RenkeiError(.invalidRequest, "\(wire.entries.count) 副本 in one request; the limit is 10000, split the request")
        }
        for (index, entry) in wire.entries.enumerated() {
            let record: DuplicateRecord
            do { record = try DuplicateRecord(entry.record) } catch { throw RenkeiError(error.code, "entries[\(index)]: \(error.message)") }
            entries.append(
                Entry(
                    record: record, integratedAddressNumber: entry.integratedAddressNumber, addressNumber: entry.addressNumber, delete: entry.delete))
        }
    }

    public var wire: Renkei_V1_DuplicateRegistration {
        var wire = Renkei_V1_DuplicateRegistration()
        wire.tenant = tenant
        wire.businessSystem = businessSystem
        wire.userID = userID
        wire.departmentCode = departmentCode
        wire.operatorToken = operatorToken
        wire.entries = entries.map { entry in
            var message = Renkei_V1_DuplicateRegistration.Entry()
            message.integratedAddressNumber = entry.integratedAddressNumber
            message.addressNumber = entry.addressNumber
            message.record = Renkei_V1_DuplicateRecord(entry.record)
            message.delete = entry.delete
            return message
        }
        return wire
    }
}

extension DuplicateRegistrationResponse: WireConvertible {
    public init(wire: Renkei_V1_DuplicateRegistrationResponse) {
        self.init()
        registered = wire.registered
        deleted = wire.deleted
    }

    public var wire: Renkei_V1_DuplicateRegistrationResponse {
        var wire = Renkei_V1_DuplicateRegistrationResponse()
        wire.registered = registered
        wire.deleted = deleted
        return wire
    }
}

extension DuplicateQuery: WireConvertible {
    public init(wire: Renkei_V1_DuplicateQuery) {
        self.init()
        tenant = wire.tenant
        businessSystem = wire.businessSystem
        operatorToken = wire.operatorToken
        addressNumber = wire.addressNumber
        integratedAddressNumber = wire.integratedAddressNumber
        informationCode = wire.informationCode
    }

    public var wire: Renkei_V1_DuplicateQuery {
        var wire = Renkei_V1_DuplicateQuery()
        wire.tenant = tenant
        wire.businessSystem = businessSystem
        wire.operatorToken = operatorToken
        wire.addressNumber = addressNumber
        wire.integratedAddressNumber = integratedAddressNumber
        wire.informationCode = informationCode
        return wire
    }
}

extension DuplicateList: WireConvertible {
    /// A list is read back as strictly as a registration: every 副本 validated, the count bounded.
    public init(wire: Renkei_V1_DuplicateList) throws(RenkeiError) {
        self.init()
        guard wire.records.count <= DuplicateList.maximumRecords else {
            throw RenkeiError(.invalidRequest, "\(wire.records.count) 副本 in one list; the limit is \(DuplicateList.maximumRecords)")
        }
        for (index, record) in wire.records.enumerated() {
            do { records.append(try DuplicateRecord(record)) } catch { throw RenkeiError(error.code, "records[\(index)]: \(error.message)") }
        }
    }

    public var wire: Renkei_V1_DuplicateList {
        var wire = Renkei_V1_DuplicateList()
        wire.records = records.map(Renkei_V1_DuplicateRecord.init)
        return wire
    }
}

extension FlagKind {
    init(wire: Renkei_V1_FlagKind) {
        switch wire {
        case .manualResponse: self = .manualResponse
        case .nondisclosure: self = .nondisclosure
        default: self = .unspecified
        }
    }

    var wire: Renkei_V1_FlagKind {
        switch self {
        case .unspecified: .flagUnspecified
        case .manualResponse: .manualResponse
        case .nondisclosure: .nondisclosure
        }
    }
}

extension FlagRegistration: WireConvertible {
    public init(wire: Renkei_V1_FlagRegistration) {
        self.init()
        tenant = wire.tenant
        flags = wire.flags.map { message in
            var flag = Flag()
            flag.integratedAddressNumber = message.integratedAddressNumber
            flag.informationCode = message.informationCode
            flag.kind = FlagKind(wire: message.kind)
            flag.enabled = message.enabled
            return flag
        }
    }

    public var wire: Renkei_V1_FlagRegistration {
        var wire = Renkei_V1_FlagRegistration()
        wire.tenant = tenant
        wire.flags = flags.map { flag in
            var message = Renkei_V1_FlagRegistration.Flag()
            message.integratedAddressNumber = flag.integratedAddressNumber
            message.informationCode = flag.informationCode
            message.kind = flag.kind.wire
            message.enabled = flag.enabled
            return message
        }
        return wire
    }
}
