public import RenkeiCore

/// Every method of the renkei wire protocol, by the node that serves it.
public enum Methods {
    // MARK: AddressSystem (団体内統合宛名)

    /// business system → AddressSystem: an inquiry about a person by 宛名番号 or 個人番号.
    public static let addresseeInquire = RPCMethod<AddresseeInquiryRequest, InquiryResult>("atena.inquire")
    /// business system → AddressSystem: the state of an inquiry by its 受付番号.
    public static let addresseeResult = RPCMethod<AddresseeResultRequest, InquiryResult>("atena.result")
    /// business system → AddressSystem: 副本登録 by 宛名番号.
    public static let addresseeRegisterDuplicates = RPCMethod<DuplicateRegistration, DuplicateRegistrationResponse>("atena.registerDuplicates")
    /// business system → AddressSystem: the 副本 of one person its 事務 provides, by 宛名番号.
    public static let addresseeDuplicates = RPCMethod<DuplicateQuery, DuplicateList>("atena.duplicates")
    /// business system → AddressSystem: 符号取得 for one person.
    public static let addresseeAcquire = RPCMethod<PersonSelector, AcquisitionResponse>("atena.acquire")
    /// business system → AddressSystem: its 機関's 情報提供等記録.
    public static let addresseeRecords = RPCMethod<RecordSearch, RecordList>("atena.records")
    /// business system → AddressSystem: a member of staff signs in or out (relayed to the tenant).
    public static let addresseeSignIn = RPCMethod<SignInRequest, SignInResponse>("atena.signIn")
    /// business system → AddressSystem: its 事務's inquiries waiting for staff (自動応答不可), relayed to the tenant.
    public static let addresseeQueue = RPCMethod<QueueRequest, QueueList>("atena.queue")
    /// business system → AddressSystem: its member of staff provides or withholds one of them.
    public static let addresseeResolve = RPCMethod<QueueResolution, DeliveryReceipt>("atena.resolve")
    /// operator → AddressSystem: register people and acquire their 符号.
    public static let addresseeRegister = RPCMethod<AddresseeRegistration, AddresseeRegistrationResponse>("atena.register")

    // MARK: IntermediateServer (中間サーバー)

    /// AddressSystem or business system → inquirer tenant.
    public static let tenantInquire = RPCMethod<TenantInquiryRequest, InquiryResult>("ms.inquire")
    /// NetworkSystem → provider tenant, with the permit.
    public static let provide = RPCMethod<ProvisionRequest, ProvisionResult>("ms.provide")
    /// AddressSystem or operator → tenant: 処理通番 for a 符号 acquisition.
    public static let beginAcquisition = RPCMethod<BeginAcquisitionRequest, BeginAcquisitionResponse>("ms.beginAcquisition")
    /// NetworkSystem → tenant: 符号通知.
    public static let notifyLinkCodes = RPCMethod<LinkCodeNotification, AcquisitionResponse>("ms.notifyLinkCodes")
    /// operator → tenant of a 機関 without an AddressSystem: its own person numbers.
    public static let registerAddressees = RPCMethod<AddresseeRegistration, AddresseeRegistrationResponse>("ms.registerAddressees")
    /// AddressSystem, business system or operator → tenant: 副本登録.
    public static let registerDuplicates = RPCMethod<DuplicateRegistration, DuplicateRegistrationResponse>("ms.registerDuplicates")
    /// AddressSystem, business system or operator → tenant: the 副本 held for one person.
    public static let duplicates = RPCMethod<DuplicateQuery, DuplicateList>("ms.duplicates")

    /// AddressSystem or business system → inquirer tenant: the state of an inquiry.
    public static let result = RPCMethod<ResultRequest, InquiryResult>("ms.result")
    /// NetworkSystem → inquirer tenant: the answer to an inquiry that waited for staff.
    public static let deliver = RPCMethod<ProvisionDelivery, DeliveryReceipt>("ms.deliver")
    /// operator → tenant: 自動応答不可 and 不開示 flags.
    public static let flags = RPCMethod<FlagRegistration, AddresseeRegistrationResponse>("ms.flags")
    /// operator → tenant: the manual-response queue.
    public static let queue = RPCMethod<QueueRequest, QueueList>("ms.queue")
    /// operator → tenant: provide or withhold a queued inquiry.
    public static let resolve = RPCMethod<QueueResolution, DeliveryReceipt>("ms.resolve")
    /// operator → tenant: its staff accounts.
    public static let staff = RPCMethod<StaffRequest, StaffResponse>("ms.staff")
    /// AddressSystem or business system → tenant: a member of staff signs in or out.
    public static let signIn = RPCMethod<SignInRequest, SignInResponse>("ms.signIn")
    /// AddressSystem, business system or operator → tenant: its 情報提供等記録.
    public static let records = RPCMethod<RecordSearch, RecordList>("ms.records")

    // MARK: NetworkSystem (情報提供ネットワークシステム)

    /// inquirer tenant → NetworkSystem.
    public static let networkInquire = RPCMethod<NetworkInquiryRequest, ProvisionResult>("nws.inquire")
    /// tenant → NetworkSystem: 処理通番 (取得番号) for 符号 acquisitions.
    public static let processingNumbers = RPCMethod<ProcessingNumbersRequest, ProcessingNumbersResponse>("nws.processingNumbers")
    /// provider tenant → NetworkSystem: relay a manual answer to the inquirer.
    public static let networkDeliver = RPCMethod<ProvisionDelivery, DeliveryReceipt>("nws.deliver")
    /// ResidentRegistry → NetworkSystem: 住民票コード and 処理通番 to make 符号 from.
    public static let issueLinkCodes = RPCMethod<LinkCodeIssueRequest, AcquisitionResponse>("nws.issueLinkCodes")

    // MARK: ResidentRegistry (住基ネット / J-LIS)

    /// AddressSystem or operator → J-LIS: 符号取得要求 (個人番号 and 処理通番).
    public static let acquire = RPCMethod<AcquisitionRequest, AcquisitionResponse>("jlis.acquire")
    /// operator → J-LIS: the registry's residents.
    public static let registerResidents = RPCMethod<ResidentRegistration, AddresseeRegistrationResponse>("jlis.register")

    // MARK: the time-stamping authority (the witness)

    /// node → authority: stamp a signed audit checkpoint (RFC 3161).
    public static let stamp = RPCMethod<StampRequest, WitnessedCheckpoint>("tsa.stamp")
    /// node or operator → authority: the newest checkpoint it witnessed for a node.
    public static let latestWitnessed = RPCMethod<WitnessQuery, WitnessAnswer>("tsa.latest")

    // MARK: every node

    public static let ping = RPCMethod<Ping, Ping>("ping")
}
