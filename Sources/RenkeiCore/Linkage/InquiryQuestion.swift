/// What an inquiry asks, the same at every hop: 別表第二 item, 事務手続, 特定個人情報名 and the
/// provider. Values as written; each node validates them against its topology
/// (`InquiryQuery` in RenkeiNodes). An empty text is an absent value.
public struct InquiryQuestion: Sendable, Hashable {
    /// The item as cited: "42", "2015:42" (別表第二) or "2024:69" (the 2024 ordinance).
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
    /// 部署コード and ユーザID of the member of staff at the business system: the operator, whom
    /// the inquirer tenant checks against its staff accounts.
    public var departmentCode = ""
    public var userID = ""
    /// A staff session or API token; the inquirer tenant reads the operator from it and clears
    /// it before the question leaves the tenant.
    public var operatorToken = ""
    /// MSGMode 1 (テスト): the whole path runs, and every record is marked as test.
    public var testMode = false
    /// Correlates the decision trace of one request across the nodes (the request journal).
    public var traceID = ""

    public init() {}
}
