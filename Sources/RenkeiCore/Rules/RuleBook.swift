/// The law as it stands on a given day: 別表第二 (2015) until the ordinance takes over, the
/// ordinance's table (2024) from then on, and how an item of one is an item of the other.
///
/// An inquiry may cite either numbering. Before the switch only 別表第二 exists, so an
/// ordinance citation is refused; after it, a 別表第二 citation is read as the ordinance item
/// that continues it, and refused when the ordinance has none. Every denial and every record
/// names the item in both numberings.
public struct RuleBook: Sendable {
    /// How an item number without a "2015:"/"2024:" prefix is read.
    public enum PlainNumbers: String, Sendable, Hashable {
        /// Always as 別表第二 (2015): the numbering business systems and the seed were written in.
        case beppyo2015 = "2015"
        /// As the table in force on the simulation date.
        case inForce = "in_force"
    }

    public let beppyo2015: RuleTable
    public let ordinance2024: RuleTable?
    /// The first day the ordinance is in force (2024-05-27 by 附則第一条).
    public let ordinanceFrom: CivilDate
    public let plainNumbers: PlainNumbers
    /// 別表第二 item → the ordinance item that continues it.
    private let successor: [ItemNumber: ItemNumber]

    /// 2024-05-27: 附則第一条 of the ordinance.
    public static let ordinanceEnforcement = CivilDate(daysSinceEpoch: 19870)

    public init(
        beppyo2015: RuleTable, ordinance2024: RuleTable? = nil, ordinanceFrom: CivilDate = Self.ordinanceEnforcement,
        plainNumbers: PlainNumbers = .beppyo2015
    ) throws(RenkeiError) {
        self.beppyo2015 = beppyo2015
        self.ordinance2024 = ordinance2024
        self.ordinanceFrom = ordinanceFrom
        self.plainNumbers = plainNumbers
        var successor = [ItemNumber: ItemNumber]()
        for item in ordinance2024?.items ?? [] {
            for legacy in item.continues {
                guard beppyo2015.item(legacy) != nil else {
                    throw RenkeiError(.invalidRequest, "命令第二条の表 \(item.number.japanese) continues 別表第二 \(legacy.japanese), which 別表第二 does not have")
                }
                if let other = successor.updateValue(item.number, forKey: legacy) {
                    throw RenkeiError(
                        .invalidRequest, "別表第二 \(legacy.japanese) is continued by two ordinance items, \(other.japanese) and \(item.number.japanese)")
                }
            }
        }
        self.successor = successor
    }

    /// The table in force on `date`.
    public func inForce(on date: CivilDate) -> RuleTable {
        if let ordinance2024, date >= ordinanceFrom { return ordinance2024 }
        return beppyo2015
    }

    /// The item a citation names, in both numberings. Which table numbers it is fixed by the
    /// citation (or, for a plain number, by `plainNumbers` on `date`).
    public func reference(for citation: ItemCitation, on date: CivilDate) throws(RenkeiError) -> ItemReference {
        switch numbering(of: citation, on: date) {
        case .beppyo2015:
            guard beppyo2015.item(citation.number) != nil else {
                throw RenkeiError(.unknownItem, "別表第二 has no \(citation.number.japanese); \(beppyo2015.span)")
            }
            return ItemReference(legacy: citation.number, ordinance: successor[citation.number])
        case .ordinance2024:
            guard let ordinance2024 else {
                throw RenkeiError(.unknownItem, "item \(citation) cites the 2024 ordinance, and this topology loads 別表第二 only (rules.ordinance)")
            }
            guard let item = ordinance2024.item(citation.number) else {
                throw RenkeiError(.unknownItem, "命令第二条の表 has no \(citation.number.japanese); \(ordinance2024.span)")
            }
            return ItemReference(ordinance: citation.number, legacy: item.continues.first)
        }
    }

    /// The table whose numbering a citation uses.
    public func numbering(of citation: ItemCitation, on date: CivilDate) -> RuleNumbering {
        citation.numbering ?? (plainNumbers == .inForce ? inForce(on: date).numbering : .beppyo2015)
    }

    /// Checks one request, citing `reference` in the numbering `cited`, against the table in
    /// force on `date`. A 別表第二 citation is read in either table; an ordinance citation only
    /// once the ordinance is in force.
    public func check(
        _ reference: ItemReference, citedIn cited: RuleNumbering, on date: CivilDate, inquirerKinds: Set<String>, providerKinds: Set<String>,
        information: String
    ) -> RuleDecision {
        let table = inForce(on: date)
        if let legacy = reference.legacy, beppyo2015.item(legacy)?.deleted == true {
            // Deleted (削除) already in 別表第二: that is the answer, on either side of the switch.
            return beppyo2015.check(item: legacy, inquirerKinds: inquirerKinds, providerKinds: providerKinds, information: information)
        }
        guard cited == .beppyo2015 || table.numbering == .ordinance2024, let number = reference.number(in: table.numbering) else {
            return .denied(notInForce(reference, table: table, on: date), field: .item)
        }
        switch table.check(item: number, inquirerKinds: inquirerKinds, providerKinds: providerKinds, information: information) {
        case .permitted(let item, let index): return .permitted(item: item, provisionIndex: index)
        case .denied(let error, let field):
            guard reference.legacy != nil, reference.ordinance != nil else { return .denied(error, field: field) }
            return .denied(RenkeiError(error.code, "\(reference.japanese): \(error.message)"), field: field)
        }
    }

    /// The items of the table in force under which this inquirer may ask this provider for
    /// this information: the journal's near miss.
    public func itemsPermitting(on date: CivilDate, inquirerKinds: Set<String>, providerKinds: Set<String>, information: String) -> [String] {
        let table = inForce(on: date)
        return table.itemsPermitting(inquirerKinds: inquirerKinds, providerKinds: providerKinds, information: information).map(table.numbering.name)
    }

    private func notInForce(_ reference: ItemReference, table: RuleTable, on date: CivilDate) -> RenkeiError {
        if table.numbering == .ordinance2024, let legacy = reference.legacy {
            return RenkeiError(
                .itemNotInForce,
                "別表第二 \(legacy.japanese) has no counterpart in the 2024 ordinance (命令第二条の表), which replaced 別表第二 on \(ordinanceFrom); on \(date) no inquiry can be made under it"
            )
        }
        let ordinance = reference.ordinance.map(\.japanese) ?? "?"
        let instead = reference.legacy.map { "; cite 別表第二 \($0.japanese)" } ?? "; its 事務 has no 別表第二 item"
        return RenkeiError(
            .itemNotInForce, "命令第二条の表 \(ordinance) is in force from \(ordinanceFrom), not on \(date)\(instead)")
    }

    // The two tables together: an organisation's kind or an information class may be named by either.

    public func lookupKind(_ name: String) -> RuleTable.KindLookup {
        let kind = beppyo2015.lookupKind(name)
        guard case .unknown = kind, let ordinance2024 else { return kind }
        return ordinance2024.lookupKind(name)
    }

    public func informationClass(named key: String) -> String? {
        beppyo2015.informationClass(named: key) ?? ordinance2024?.informationClass(named: key)
    }
}
