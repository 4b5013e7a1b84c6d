/// One row of 別表第二: who may ask, for which 事務, whom, for what.
public struct RuleItem: Sendable, Hashable {
    /// One (providers → information) pair of a row.
    public struct Provision: Sendable, Hashable {
        /// Kind or class names, as the table writes them.
        public let providers: [String]
        /// Information class names.
        public let information: [String]

        public init(providers: [String], information: [String]) {
            self.providers = providers
            self.information = information
        }
    }

    public let number: ItemNumber
    public let deleted: Bool
    /// Kind or class names, as the table writes them.
    public let inquirers: [String]
    public let affair: String
    public let provisions: [Provision]
    /// The items of the table this one replaced that it carries on (an ordinance item's
    /// 別表第二 items); empty for a new item and in the 2015 table.
    public let continues: [ItemNumber]

    public init(
        number: ItemNumber, deleted: Bool = false, inquirers: [String] = [], affair: String = "", provisions: [Provision] = [],
        continues: [ItemNumber] = []
    ) {
        self.number = number
        self.deleted = deleted
        self.inquirers = inquirers
        self.affair = affair
        self.provisions = provisions
        self.continues = continues
    }
}
