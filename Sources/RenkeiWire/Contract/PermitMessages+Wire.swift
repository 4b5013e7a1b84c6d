public import RenkeiCore

extension SealedPermit: WireConvertible {
    public init(wire: Renkei_V1_Permit) {
        self.init()
        claims = wire.claims
        signature = wire.signature
        mac = wire.mac
    }

    public var wire: Renkei_V1_Permit {
        var wire = Renkei_V1_Permit()
        wire.claims = claims
        wire.signature = signature
        wire.mac = mac
        return wire
    }
}

extension PermitClaims: WireConvertible {
    public init(wire: Renkei_V1_PermitClaims) {
        self.init()
        permitID = wire.permitID
        receptionNumber = wire.receptionNumber
        inquirer = wire.inquirer
        provider = wire.provider
        providerLinkCode = wire.providerLinkCode
        item = wire.item
        procedureCode = wire.procedureCode
        informationCode = wire.informationCode
        issuedAtMicros = wire.issuedAtMicros
        expiresAtMicros = wire.expiresAtMicros
    }

    public var wire: Renkei_V1_PermitClaims {
        var wire = Renkei_V1_PermitClaims()
        wire.permitID = permitID
        wire.receptionNumber = receptionNumber
        wire.inquirer = inquirer
        wire.provider = provider
        wire.providerLinkCode = providerLinkCode
        wire.item = item
        wire.procedureCode = procedureCode
        wire.informationCode = informationCode
        wire.issuedAtMicros = issuedAtMicros
        wire.expiresAtMicros = expiresAtMicros
        return wire
    }
}
