import RenkeiCore

/// 副本 items in one column: fields split by U+001F, items by U+001E. Item codes and values
/// never contain C0 control characters (the wire validation refuses them), so the split is
/// unambiguous, and reading is a scan rather than a parse: start-up loads every 副本.
enum DuplicateItemsCoding {
    static let unit: Character = "\u{1F}"
    static let record: Character = "\u{1E}"

    static func encode(_ items: [DuplicateRecord.Item]) -> String {
        items.map { item in
            [item.code, item.value ?? "", item.value == nil ? "1" : "0", item.reasonOfNull ?? ""].joined(separator: String(unit))
        }.joined(separator: String(record))
    }

    static func decode(_ text: String) -> [DuplicateRecord.Item]? {
        guard !text.isEmpty else { return [] }
        var items = [DuplicateRecord.Item]()
        for entry in text.split(separator: record, omittingEmptySubsequences: false) {
            let fields = entry.split(separator: unit, omittingEmptySubsequences: false)
            guard fields.count == 4 else { return nil }
            let isNull = fields[2] == "1"
            items.append(
                DuplicateRecord.Item(code: String(fields[0]), value: isNull ? nil : String(fields[1]), reasonOfNull: isNull ? String(fields[3]) : nil)
            )
        }
        return items
    }
}
