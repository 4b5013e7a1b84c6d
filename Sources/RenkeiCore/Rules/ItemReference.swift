/// One item under both numberings: the 別表第二 (2015) item and the ordinance (2024) item that
/// continues it. Either may be missing (an item the ordinance dropped, or one it added), never
/// both. Records keep both, so a 2015 record and a 2026 one about the same 事務 match.
public struct ItemReference: Sendable, Hashable, CustomStringConvertible {
    public enum Numbers: Sendable, Hashable {
        case legacy(ItemNumber, ordinance: ItemNumber?)
        /// An item the ordinance added: no 別表第二 item.
        case ordinanceOnly(ItemNumber)
    }

    public let numbers: Numbers

    public init(legacy: ItemNumber, ordinance: ItemNumber?) { numbers = .legacy(legacy, ordinance: ordinance) }

    public init(ordinance: ItemNumber, legacy: ItemNumber?) {
        numbers = legacy.map { .legacy($0, ordinance: ordinance) } ?? .ordinanceOnly(ordinance)
    }

    /// Reads the stored pair back; nil when neither column holds an item.
    public init?(legacyText: String?, ordinanceText: String?) throws(RenkeiError) {
        let legacy = try legacyText.flatMap { text throws(RenkeiError) in text.isEmpty ? nil : try ItemNumber(text) }
        let ordinance = try ordinanceText.flatMap { text throws(RenkeiError) in text.isEmpty ? nil : try ItemNumber(text) }
        if let legacy {
            self.init(legacy: legacy, ordinance: ordinance)
        } else if let ordinance {
            self.init(ordinance: ordinance, legacy: nil)
        } else {
            return nil
        }
    }

    public var legacy: ItemNumber? {
        if case let .legacy(number, _) = numbers { return number }
        return nil
    }

    public var ordinance: ItemNumber? {
        switch numbers {
        case let .legacy(_, ordinance): ordinance
        case let .ordinanceOnly(number): number
        }
    }

    /// The item in one numbering.
    public func number(in numbering: RuleNumbering) -> ItemNumber? {
        numbering == .beppyo2015 ? legacy : ordinance
    }

    /// Whether the two name the same item in either numbering.
    public func overlaps(_ other: ItemReference) -> Bool {
        (legacy != nil && legacy == other.legacy) || (ordinance != nil && ordinance == other.ordinance)
    }

    /// "別表第二 第27項 (命令第二条の表 第48項)".
    public var japanese: String {
        switch numbers {
        case let .legacy(legacy, ordinance?): "\(RuleNumbering.beppyo2015.name(legacy)) (\(RuleNumbering.ordinance2024.name(ordinance)))"
        case let .legacy(legacy, nil): RuleNumbering.beppyo2015.name(legacy)
        case let .ordinanceOnly(ordinance): RuleNumbering.ordinance2024.name(ordinance)
        }
    }

    /// "27→2024:48", "27", "2024:43".
    public var description: String {
        switch numbers {
        case let .legacy(legacy, ordinance?): "\(legacy)→2024:\(ordinance)"
        case let .legacy(legacy, nil): legacy.description
        case let .ordinanceOnly(ordinance): "2024:\(ordinance)"
        }
    }
}
