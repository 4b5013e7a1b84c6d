public import NIOCore
public import RenkeiCore
public import RenkeiPKI
import RenkeiWire

/// A business system's view of the linkage: inquire, poll, register 副本, 符号取得, read its
/// records. It decides the route — the 機関's 団体内統合宛名システム, or for a 機関 without one
/// its tenant on the 中間サーバー — and builds the messages; `renkei inquire`, `renkei load` and
/// the HTTPS edges (REST, XML 電文, batch files) all reach the linkage through it.
public struct LinkageClient: Sendable {
    /// Where a business system's requests go.
    public enum Route: Sendable, Hashable {
        /// The 機関's 団体内統合宛名システム, which knows 宛名番号 and 個人番号.
        case addressSystem
        /// The tenant of a 機関 without an AddressSystem, on its 中間サーバー: by 宛名番号 only.
        case tenant(OrganizationCode)
    }

    enum Transport: Sendable {
        /// Over mutual TLS, as the business system's certificate.
        case wire(RPCClient)
        /// In the node's own process, as the caller its edge authenticated.
        case inProcess(RPCRouter, caller: PeerIdentity)
    }

    public let route: Route
    let transport: Transport

    init(route: Route, transport: Transport) {
        self.route = route
        self.transport = transport
    }

    func call<Request, Response>(
        _ method: RPCMethod<Request, Response>, _ request: Request, deadline: NIODeadline
    ) async throws(RenkeiError) -> Response {
        switch transport {
        case let .wire(client):
            return try await client.call(method, request, deadline: deadline)
        case let .inProcess(router, caller):
            return try await router.callInProcess(
                method, request, context: RequestContext(peer: caller, deadline: deadline, method: method.name, journaled: true))
        }
    }

    /// 情報照会 about `person`. Synchronous unless `asynchronous`, which answers at once with the
    /// 受付番号 to poll with `result(_:deadline:)`.
    public func inquire(
        _ person: PersonReference, _ question: InquiryQuestion, asynchronous: Bool = false, deadline: NIODeadline
    ) async throws(RenkeiError) -> InquiryResult {
        switch route {
        case .addressSystem:
            var request = AddresseeInquiryRequest()
            request.person = person
            request.question = question
            request.asynchronous = asynchronous
            return try await call(Methods.addresseeInquire, request, deadline: deadline)
        case let .tenant(code):
            guard case let .addressNumber(number) = person else {
                throw RenkeiError(.invalidRequest, "a 中間サーバー never sees 個人番号: ask by 宛名番号 (addressNumber)")
            }
            var request = TenantInquiryRequest()
            request.tenant = code.rawValue
            request.person = .addressNumber(number)
            request.question = question
            request.asynchronous = asynchronous
            return try await call(Methods.tenantInquire, request, deadline: deadline)
        }
    }

    /// Where an inquiry stands, by its 受付番号.
    public func result(_ receptionNumber: String, deadline: NIODeadline) async throws(RenkeiError) -> InquiryResult {
        switch route {
        case .addressSystem:
            var request = AddresseeResultRequest()
            request.receptionNumber = receptionNumber
            return try await call(Methods.addresseeResult, request, deadline: deadline)
        case let .tenant(code):
            var request = ResultRequest()
            request.tenant = code.rawValue
            request.receptionNumber = receptionNumber
            return try await call(Methods.result, request, deadline: deadline)
        }
    }

    /// 副本登録 and 削除, the persons by 宛名番号 (or, through an AddressSystem, 統合宛名番号), by
    /// the operator (ユーザID and 部署コード, or a staff token).
    public func registerDuplicates(
        _ entries: [DuplicateRegistration.Entry], user: String = "", department: String = "", token: String = "", deadline: NIODeadline
    ) async throws(RenkeiError) -> DuplicateRegistrationResponse {
        var registration = DuplicateRegistration(entries: entries)
        registration.userID = user
        registration.departmentCode = department
        registration.operatorToken = token
        switch route {
        case .addressSystem:
            return try await call(Methods.addresseeRegisterDuplicates, registration, deadline: deadline)
        case let .tenant(code):
            registration.tenant = code.rawValue
            return try await call(Methods.registerDuplicates, registration, deadline: deadline)
        }
    }

    /// The 副本 held for the person with `addressNumber` of what this system's 事務 provides
    /// (only `information` when given), for the member of staff whose token this is.
    public func duplicates(
        addressNumber: String, information: String = "", token: String, deadline: NIODeadline
    ) async throws(RenkeiError) -> [DuplicateRecord] {
        var query = DuplicateQuery()
        query.addressNumber = addressNumber
        query.informationCode = information
        query.operatorToken = token
        switch route {
        case .addressSystem:
            return try await call(Methods.addresseeDuplicates, query, deadline: deadline).records
        case let .tenant(code):
            query.tenant = code.rawValue
            return try await call(Methods.duplicates, query, deadline: deadline).records
        }
    }

    /// 符号取得 for one person: only where a 団体内統合宛名システム holds the 個人番号.
    public func acquireLinkCode(_ person: PersonReference, deadline: NIODeadline) async throws(RenkeiError) {
        switch route {
        case .addressSystem:
            _ = try await call(Methods.addresseeAcquire, PersonSelector(person), deadline: deadline)
        case .tenant:
            throw RenkeiError(.peerNotAuthorized, "符号取得 needs the 個人番号, which a 中間サーバー never holds; for insurers it runs centrally (支払基金)")
        }
    }

    /// A member of the 機関's staff signs in (a password) or out (`signOutToken`).
    public func signIn(_ request: SignInRequest, deadline: NIODeadline) async throws(RenkeiError) -> SignInResponse {
        switch route {
        case .addressSystem:
            return try await call(Methods.addresseeSignIn, request, deadline: deadline)
        case let .tenant(code):
            var request = request
            request.tenant = code.rawValue
            return try await call(Methods.signIn, request, deadline: deadline)
        }
    }

    /// The inquiries about what this system provides that wait for staff (自動応答不可), for the
    /// member of staff whose session or API token this is.
    public func manualQueue(token: String, deadline: NIODeadline) async throws(RenkeiError) -> [QueueEntry] {
        var request = QueueRequest()
        request.operatorToken = token
        switch route {
        case .addressSystem:
            return try await call(Methods.addresseeQueue, request, deadline: deadline).entries
        case let .tenant(code):
            request.tenant = code.rawValue
            return try await call(Methods.queue, request, deadline: deadline).entries
        }
    }

    /// That member of staff provides (from the 副本) or withholds one of them, with a reason
    /// kept in the audit log.
    public func resolveManually(
        _ receptionNumber: String, provide: Bool, reason: String, token: String, deadline: NIODeadline
    ) async throws(RenkeiError) {
        var resolution = QueueResolution()
        resolution.receptionNumber = receptionNumber
        resolution.provide = provide
        resolution.reason = reason
        resolution.operatorToken = token
        switch route {
        case .addressSystem:
            _ = try await call(Methods.addresseeResolve, resolution, deadline: deadline)
        case let .tenant(code):
            resolution.tenant = code.rawValue
            _ = try await call(Methods.resolve, resolution, deadline: deadline)
        }
    }

    /// The 機関's own 情報提供等記録.
    public func records(_ search: RecordSearch, deadline: NIODeadline) async throws(RenkeiError) -> RecordList {
        switch route {
        case .addressSystem:
            return try await call(Methods.addresseeRecords, search, deadline: deadline)
        case let .tenant(code):
            var search = search
            search.tenant = code.rawValue
            return try await call(Methods.records, search, deadline: deadline)
        }
    }

    /// Closes the connections of a client over the wire; an in-process client has none.
    public func shutdown() async {
        if case let .wire(client) = transport { await client.shutdown() }
    }
}
