/// What the value of a 副本 item may look like. The real データ標準レイアウト gives each item a
/// type and length that are not public; domain.md §6 evidences date items (yyyy-MM-dd) [C].
/// The other formats are renkei stand-ins, set per item in the layout catalogue
/// (`format`, `max_length`), so that a vendor sees a format error where the layout has one.
public enum ItemFormat: String, Sendable, Hashable, CaseIterable {
    /// 個別項目: any single-line text.
    case text
    /// 日付項目: yyyy-MM-dd, a real date.
    case date
    /// A whole number in half-width digits, optionally negative (金額, 人数, 段階).
    case integer
    /// A 年 or 年度: four half-width digits.
    case year

    /// Why `value` does not fit, as the end of a sentence that begins with the item; nil if it fits.
    public func problem(with value: String) -> String? {
        switch self {
        case .text:
            return nil
        case .date:
            let fits = value.count == 10 && (try? CivilDate(value)) != nil
            return fits ? nil : "must be a date as yyyy-MM-dd (日付項目), not \"\(value.excerpt(24))\""
        case .integer:
            let digits = value.hasPrefix("-") ? value.dropFirst() : Substring(value)
            let fits = !digits.isEmpty && digits.count <= 18 && digits.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
            return fits ? nil : "must be a whole number in half-width digits (半角数字), not \"\(value.excerpt(24))\""
        case .year:
            let fits = value.count == 4 && value.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
            return fits ? nil : "must be a year as four half-width digits (e.g. 2025), not \"\(value.excerpt(24))\""
        }
    }

    /// A value of this format built from `number`: what a load run registers.
    public func example(_ number: Int) -> String {
        switch self {
        case .text, .integer: String(number)
        case .date: CivilDate(daysSinceEpoch: 10_957 + abs(number) % 36_500).description
        case .year: String(2000 + abs(number) % 100)
        }
    }
}
