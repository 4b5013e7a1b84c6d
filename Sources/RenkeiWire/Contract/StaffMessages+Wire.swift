public import RenkeiCore

extension StaffRequest: WireConvertible {
    public init(wire: Renkei_V1_StaffRequest) throws(RenkeiError) {
        self.init()
        tenant = wire.tenant
        guard let action = Action(rawValue: wire.action) else {
            throw RenkeiError(
                .invalidRequest,
                "staff action \"\(wire.action.excerpt(20))\" is not one of \(Action.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.action = action
        account = StaffSummary(wire: wire.account)
        userID = wire.userID
        password = wire.password
    }

    public var wire: Renkei_V1_StaffRequest {
        var wire = Renkei_V1_StaffRequest()
        wire.tenant = tenant
        wire.action = action.rawValue
        wire.account = account.wire
        wire.userID = userID
        wire.password = password
        return wire
    }
}

extension StaffSummary: WireConvertible {
    public init(wire: Renkei_V1_StaffSummary) {
        self.init()
        userID = wire.userID
        name = wire.name
        department = wire.department
        systems = wire.systems
        validFrom = wire.validFrom
        validUntil = wire.validUntil
        disabled = wire.disabled
        hasPassword = wire.hasPassword_p
        tokens = Int(wire.tokens)
        lockedUntilMicros = wire.lockedUntilMicros
    }

    public var wire: Renkei_V1_StaffSummary {
        var wire = Renkei_V1_StaffSummary()
        wire.userID = userID
        wire.name = name
        wire.department = department
        wire.systems = systems
        wire.validFrom = validFrom
        wire.validUntil = validUntil
        wire.disabled = disabled
        wire.hasPassword_p = hasPassword
        wire.tokens = UInt32(clamping: tokens)
        wire.lockedUntilMicros = lockedUntilMicros
        return wire
    }
}

extension StaffResponse: WireConvertible {
    public init(wire: Renkei_V1_StaffResponse) {
        self.init()
        accounts = wire.accounts.map(StaffSummary.init(wire:))
        secret = wire.secret
    }

    public var wire: Renkei_V1_StaffResponse {
        var wire = Renkei_V1_StaffResponse()
        wire.accounts = accounts.map(\.wire)
        wire.secret = secret
        return wire
    }
}

extension SignInRequest: WireConvertible {
    public init(wire: Renkei_V1_SignInRequest) {
        self.init()
        tenant = wire.tenant
        businessSystem = wire.businessSystem
        userID = wire.userID
        password = wire.password
        signOutToken = wire.signOutToken
    }

    public var wire: Renkei_V1_SignInRequest {
        var wire = Renkei_V1_SignInRequest()
        wire.tenant = tenant
        wire.businessSystem = businessSystem
        wire.userID = userID
        wire.password = password
        wire.signOutToken = signOutToken
        return wire
    }
}

extension SignInResponse: WireConvertible {
    public init(wire: Renkei_V1_SignInResponse) {
        self.init()
        token = wire.token
        expiresAtMicros = wire.expiresAtMicros
        account = StaffSummary(wire: wire.account)
    }

    public var wire: Renkei_V1_SignInResponse {
        var wire = Renkei_V1_SignInResponse()
        wire.token = token
        wire.expiresAtMicros = expiresAtMicros
        wire.account = account.wire
        return wire
    }
}
