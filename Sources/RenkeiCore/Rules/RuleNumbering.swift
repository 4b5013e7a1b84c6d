/// The two tables of who may ask whom for what: 別表第二 of the 番号法 as it stood in 2015,
/// and the table of 第二条 of 令和六年デジタル庁・総務省令第九号 that replaced it on 2024-05-27.
public enum RuleNumbering: String, Sendable, Hashable, CaseIterable {
    case beppyo2015 = "2015"
    case ordinance2024 = "2024"

    /// How a sentence names the table.
    public var title: String {
        switch self {
        case .beppyo2015: "別表第二"
        case .ordinance2024: "命令第二条の表"
        }
    }

    /// How a sentence names one of its items: 別表第二 第27項, 命令第二条の表 第48項.
    public func name(_ item: ItemNumber) -> String { "\(title) \(item.japanese)" }
}
