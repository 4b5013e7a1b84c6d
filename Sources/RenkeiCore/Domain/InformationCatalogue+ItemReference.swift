/// 事務手続 codes for an item cited in either numbering. The catalogue's codes belong to 別表第二
/// items (the 2015 numbering the layouts were published under), so an item the ordinance
/// continues uses its 別表第二 item's procedures; an item the ordinance added has a stand-in
/// code of its own, JT8 + ordinance item (3) + 0000000001, apart from the 2015 stand-ins.
extension InformationCatalogue {
    public func defaultProcedure(for item: ItemReference) -> ProcedureCode {
        switch item.numbers {
        case let .legacy(legacy, _): defaultProcedure(for: legacy)
        case let .ordinanceOnly(ordinance): Self.standInOrdinanceProcedure(for: ordinance)
        }
    }

    public func validate(procedure: ProcedureCode, for item: ItemReference) throws(RenkeiError) {
        let standIn: ProcedureCode
        switch item.numbers {
        case let .legacy(legacy, _): return try validate(procedure: procedure, for: legacy)
        case let .ordinanceOnly(ordinance): standIn = Self.standInOrdinanceProcedure(for: ordinance)
        }
        guard procedure == standIn else {
            throw RenkeiError(
                .procedureMismatch,
                "事務手続 \(procedure) is not one of \(item.japanese), an item the 2024 ordinance added; use \(standIn) or omit it")
        }
    }

    static func standInOrdinanceProcedure(for item: ItemNumber) -> ProcedureCode {
        ProcedureCode(trusted: standInCode("JT8", item, "000000001"))
    }
}
