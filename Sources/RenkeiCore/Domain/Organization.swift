/// An 情報保有機関 as the linkage knows it: a short id for people (`tomakomai`), its name
/// (苫小牧市), its 機関コード and the kinds it acts as under 別表第二.
public struct Organization: Sendable, Hashable, CustomStringConvertible {
    public let id: String
    public let name: String
    public let code: OrganizationCode
    /// Concrete kinds (市町村長, 全国健康保険協会 …); a city's 国保 makes it a 医療保険者
    /// through the class, not through a kind of its own.
    public let kinds: Set<String>
    public let localGovernmentCode: LocalGovernmentCode?

    public init(id: String, name: String, code: OrganizationCode, kinds: Set<String>, localGovernmentCode: LocalGovernmentCode? = nil) {
        self.id = id
        self.name = name
        self.code = code
        self.kinds = kinds
        self.localGovernmentCode = localGovernmentCode
    }

    public var description: String { "\(name) (\(id))" }
}
