public import RenkeiCore
public import RenkeiWire

/// What a business system can do at a node's HTTPS edge. The AddressSystem serves its
/// municipality's systems; a 中間サーバー serves the systems of its tenants that have no
/// AddressSystem. The caller is in the context, from its certificate.
public protocol EdgeFront: Sendable {
    func inquire(_ request: Renkei_V1_AddresseeInquiryRequest, context: RequestContext) async throws(RenkeiError) -> Renkei_V1_InquiryResult
    func result(_ receptionNumber: String, context: RequestContext) async throws(RenkeiError) -> Renkei_V1_InquiryResult
    func registerDuplicates(_ request: Renkei_V1_DuplicateRegistration, context: RequestContext) async throws(RenkeiError) -> Renkei_V1_DuplicateRegistrationResponse
    func acquireLinkCode(_ person: Renkei_V1_PersonSelector, context: RequestContext) async throws(RenkeiError)
    func records(_ search: Renkei_V1_RecordSearch, context: RequestContext) async throws(RenkeiError) -> Renkei_V1_RecordList
}

extension AddressSystem: EdgeFront {
    public func inquire(_ request: Renkei_V1_AddresseeInquiryRequest, context: RequestContext) async throws(RenkeiError) -> Renkei_V1_InquiryResult {
        try await inquire(request, context)
    }

    public func result(_ receptionNumber: String, context: RequestContext) async throws(RenkeiError) -> Renkei_V1_InquiryResult {
        var request = Renkei_V1_AddresseeResultRequest()
        request.receptionNumber = receptionNumber
        return try await result(request, context)
    }

    public func registerDuplicates(_ request: Renkei_V1_DuplicateRegistration, context: RequestContext) async throws(RenkeiError) -> Renkei_V1_DuplicateRegistrationResponse {
        try await registerDuplicates(request, context)
    }

    public func acquireLinkCode(_ person: Renkei_V1_PersonSelector, context: RequestContext) async throws(RenkeiError) {
        _ = try await acquire(person, context)
    }

    public func records(_ search: Renkei_V1_RecordSearch, context: RequestContext) async throws(RenkeiError) -> Renkei_V1_RecordList {
        try await records(search, context)
    }
}

extension IntermediateServer: EdgeFront {
    /// The tenant a business system acts for, from its certificate.
    private nonisolated func tenantCode(_ context: RequestContext) throws(RenkeiError) -> String {
        guard let code = context.peer.organizationCode else {
            throw RenkeiError(.peerNotAuthorized, "\(context.peer) acts for no 機関")
        }
        return code.rawValue
    }

    public nonisolated func inquire(_ request: Renkei_V1_AddresseeInquiryRequest, context: RequestContext) async throws(RenkeiError) -> Renkei_V1_InquiryResult {
        var forward = Renkei_V1_TenantInquiryRequest()
        forward.tenant = try tenantCode(context)
        switch request.person {
        case let .addressNumber(number)?: forward.addressNumber = number
        case .myNumber?: throw RenkeiError(.invalidRequest, "a 中間サーバー never sees 個人番号: ask by 宛名番号 (addressNumber)")
        case nil: throw RenkeiError(.invalidRequest, "the inquiry names no person: give a 宛名番号 (addressNumber)")
        }
        forward.query = request.query
        forward.asynchronous = request.asynchronous
        return try await inquire(forward, context)
    }

    public nonisolated func result(_ receptionNumber: String, context: RequestContext) async throws(RenkeiError) -> Renkei_V1_InquiryResult {
        var request = Renkei_V1_ResultRequest()
        request.tenant = try tenantCode(context)
        request.receptionNumber = receptionNumber
        return try await result(request, context)
    }

    public nonisolated func registerDuplicates(_ request: Renkei_V1_DuplicateRegistration, context: RequestContext) async throws(RenkeiError) -> Renkei_V1_DuplicateRegistrationResponse {
        var forward = request
        forward.tenant = try tenantCode(context)
        return try await registerDuplicates(forward, context)
    }

    public nonisolated func acquireLinkCode(_ person: Renkei_V1_PersonSelector, context: RequestContext) async throws(RenkeiError) {
        throw RenkeiError(.peerNotAuthorized, "符号取得 needs the 個人番号, which a 中間サーバー never holds; for insurers it runs centrally (支払基金)")
    }

    public nonisolated func records(_ search: Renkei_V1_RecordSearch, context: RequestContext) async throws(RenkeiError) -> Renkei_V1_RecordList {
        var forward = search
        forward.tenant = try tenantCode(context)
        return try await records(forward, context)
    }
}
