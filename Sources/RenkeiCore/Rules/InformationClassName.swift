/// A defined information class of 別表第二 (地方税関係情報 …) and its short name (TAX …).
public struct InformationClassName: Sendable, Hashable {
    public let name: String
    public let abbreviation: String?

    public init(name: String, abbreviation: String?) {
        self.name = name
        self.abbreviation = abbreviation
    }
}
