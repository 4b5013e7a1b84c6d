/// → tenant ("ms.records"): the tenant's own 情報提供等記録. Empty texts and zero match all.
public struct RecordSearch: Sendable, Hashable {
    public var tenant = ""
    public var sinceMicros: Int64 = 0
    public var item = ""
    public var informationCode = ""
    public var counterpart = ""
    public var testMode = false
    public var limit: UInt32 = 0
    /// The business system reading, set by an AddressSystem on its behalf.
    public var businessSystem = ""

    public init() {}
}

/// The records found, newest first.
public struct RecordList: Sendable, Hashable {
    public var records: [ProvisionRecord] = []

    public init(records: [ProvisionRecord] = []) { self.records = records }
}
