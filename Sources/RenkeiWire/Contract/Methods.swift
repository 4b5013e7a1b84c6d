/// Every method of the renkei wire protocol, by the node that serves it.
public enum Methods {
    // MARK: AddressSystem (団体内統合宛名)

    /// business system → AddressSystem: an inquiry about a person by 宛名番号 or 個人番号.
    public static let addresseeInquire = RPCMethod<Renkei_V1_AddresseeInquiryRequest, Renkei_V1_InquiryResult>("atena.inquire")
    /// business system → AddressSystem: the state of an inquiry by its 受付番号.
    public static let addresseeResult = RPCMethod<Renkei_V1_AddresseeResultRequest, Renkei_V1_InquiryResult>("atena.result")
    /// business system → AddressSystem: 副本登録 by 宛名番号.
    public static let addresseeRegisterDuplicates = RPCMethod<Renkei_V1_DuplicateRegistration, Renkei_V1_DuplicateRegistrationResponse>("atena.registerDuplicates")
    /// business system → AddressSystem: 符号取得 for one person.
    public static let addresseeAcquire = RPCMethod<Renkei_V1_PersonSelector, Renkei_V1_AcquisitionResponse>("atena.acquire")
    /// business system → AddressSystem: its 機関's 情報提供等記録.
    public static let addresseeRecords = RPCMethod<Renkei_V1_RecordSearch, Renkei_V1_RecordList>("atena.records")
    /// operator → AddressSystem: register people and acquire their 符号.
    public static let addresseeRegister = RPCMethod<Renkei_V1_AddresseeRegistration, Renkei_V1_AddresseeRegistrationResponse>("atena.register")

    // MARK: IntermediateServer (中間サーバー)

    /// AddressSystem or business system → inquirer tenant.
    public static let tenantInquire = RPCMethod<Renkei_V1_TenantInquiryRequest, Renkei_V1_InquiryResult>("ms.inquire")
    /// NetworkSystem → provider tenant, with the permit.
    public static let provide = RPCMethod<Renkei_V1_ProvisionRequest, Renkei_V1_ProvisionResult>("ms.provide")
    /// AddressSystem or operator → tenant: 処理通番 for a 符号 acquisition.
    public static let beginAcquisition = RPCMethod<Renkei_V1_BeginAcquisitionRequest, Renkei_V1_BeginAcquisitionResponse>("ms.beginAcquisition")
    /// NetworkSystem → tenant: 符号通知.
    public static let notifyLinkCodes = RPCMethod<Renkei_V1_LinkCodeNotification, Renkei_V1_AcquisitionResponse>("ms.notifyLinkCodes")
    /// operator → tenant of a 機関 without an AddressSystem: its own person numbers.
    public static let registerAddressees = RPCMethod<Renkei_V1_AddresseeRegistration, Renkei_V1_AddresseeRegistrationResponse>("ms.registerAddressees")
    /// AddressSystem, business system or operator → tenant: 副本登録.
    public static let registerDuplicates = RPCMethod<Renkei_V1_DuplicateRegistration, Renkei_V1_DuplicateRegistrationResponse>("ms.registerDuplicates")

    /// AddressSystem or business system → inquirer tenant: the state of an inquiry.
    public static let result = RPCMethod<Renkei_V1_ResultRequest, Renkei_V1_InquiryResult>("ms.result")
    /// NetworkSystem → inquirer tenant: the answer to an inquiry that waited for staff.
    public static let deliver = RPCMethod<Renkei_V1_ProvisionDelivery, Renkei_V1_DeliveryReceipt>("ms.deliver")
    /// operator → tenant: 自動応答不可 and 不開示 flags.
    public static let flags = RPCMethod<Renkei_V1_FlagRegistration, Renkei_V1_AddresseeRegistrationResponse>("ms.flags")
    /// operator → tenant: the manual-response queue.
    public static let queue = RPCMethod<Renkei_V1_QueueRequest, Renkei_V1_QueueList>("ms.queue")
    /// operator → tenant: provide or withhold a queued inquiry.
    public static let resolve = RPCMethod<Renkei_V1_QueueResolution, Renkei_V1_DeliveryReceipt>("ms.resolve")
    /// AddressSystem, business system or operator → tenant: its 情報提供等記録.
    public static let records = RPCMethod<Renkei_V1_RecordSearch, Renkei_V1_RecordList>("ms.records")

    // MARK: NetworkSystem (情報提供ネットワークシステム)

    /// inquirer tenant → NetworkSystem.
    public static let networkInquire = RPCMethod<Renkei_V1_NetworkInquiryRequest, Renkei_V1_ProvisionResult>("nws.inquire")
    /// tenant → NetworkSystem: 処理通番 (取得番号) for 符号 acquisitions.
    public static let processingNumbers = RPCMethod<Renkei_V1_ProcessingNumbersRequest, Renkei_V1_ProcessingNumbersResponse>("nws.processingNumbers")
    /// provider tenant → NetworkSystem: relay a manual answer to the inquirer.
    public static let networkDeliver = RPCMethod<Renkei_V1_ProvisionDelivery, Renkei_V1_DeliveryReceipt>("nws.deliver")
    /// ResidentRegistry → NetworkSystem: 住民票コード and 処理通番 to make 符号 from.
    public static let issueLinkCodes = RPCMethod<Renkei_V1_LinkCodeIssueRequest, Renkei_V1_AcquisitionResponse>("nws.issueLinkCodes")

    // MARK: ResidentRegistry (住基ネット / J-LIS)

    /// AddressSystem or operator → J-LIS: 符号取得要求 (個人番号 and 処理通番).
    public static let acquire = RPCMethod<Renkei_V1_AcquisitionRequest, Renkei_V1_AcquisitionResponse>("jlis.acquire")
    /// operator → J-LIS: the registry's residents.
    public static let registerResidents = RPCMethod<Renkei_V1_ResidentRegistration, Renkei_V1_AddresseeRegistrationResponse>("jlis.register")

    // MARK: every node

    public static let ping = RPCMethod<Renkei_V1_Ping, Renkei_V1_Ping>("ping")
}
