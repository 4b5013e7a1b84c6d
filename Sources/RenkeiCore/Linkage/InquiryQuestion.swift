/// What an inquiry asks, the same at every hop: 別表第二 item, 事務手続, 特定個人情報名 and the
/// provider. Values as written; each node validates them against its topology
/// (`InquiryQuery` in RenkeiNodes). An empty text is an absent value.
public struct InquiryQuestion: Sendable, Hashable {
    /// 別表第二 item ("42", "56-2").
    public var item = ""
    /// 事務手続コード JT…; empty asks for the item's default.
    public var procedureCode = ""
    /// 特定個人情報名コード TM…
    public var informationCode = ""
    /// The provider's 機関コード.
    public var provider = ""
    /// Optional 年度 filter on the provider's record key ("2025").
    public var fiscalYear = ""
    /// 照会側不開示: the inquirer marks the exchange as not to be disclosed.
    public var inquirerNondisclosure = false
    /// Optional 部署コード and ユーザID of the person at the business system.
    public var departmentCode = ""
    public var userID = ""
    /// MSGMode 1 (テスト): the whole path runs, and every record is marked as test.
    public var testMode = false
    /// Correlates the decision trace of one request across the nodes (the request journal).
    public var traceID = ""

    public init() {}
}
