/// 副本: one record of 特定個人情報 a provider registered on its 中間サーバー so that
/// inquiries can be answered without staff.
///
/// Keyed by (tenant, 統合宛名番号, TM code, data set, record key) in the store.
public struct DuplicateRecord: Sendable, Hashable {
    /// One item of the record. A missing value carries its 未設定事由 (`ReasonOfNull`).
    public struct Item: Sendable, Hashable {
        public let code: String
        public let value: String?
        public let reasonOfNull: String?

        public init(code: String, value: String?, reasonOfNull: String? = nil) {
            self.code = code
            self.value = value
            self.reasonOfNull = value == nil ? (reasonOfNull ?? "NotAcceptable") : nil
        }
    }

    public let informationCode: InformationCode
    /// データセット識別項目コード (4 characters, e.g. 0001).
    public let dataSet: String
    /// データセットレコードキー: distinguishes records of one data set (here, e.g., the 年度).
    public let recordKey: String
    /// 版番号 (SPIMajorVersion).
    public let version: Int
    /// 公開開始日 / 公開終了日: the record answers inquiries only between these dates.
    public let publicationDate: CivilDate?
    public let endDate: CivilDate?
    public let items: [Item]

    public init(
        informationCode: InformationCode, dataSet: String, recordKey: String, version: Int, publicationDate: CivilDate?, endDate: CivilDate?,
        items: [Item]
    ) {
        self.informationCode = informationCode
        self.dataSet = dataSet
        self.recordKey = recordKey
        self.version = version
        self.publicationDate = publicationDate
        self.endDate = endDate
        self.items = items
    }

    /// Whether the record may be provided on `date`.
    public func isPublished(on date: CivilDate) -> Bool {
        if let start = publicationDate, date < start { return false }
        if let end = endDate, date > end { return false }
        return true
    }
}
