/// 団体内統合宛名番号: the municipality-wide person key (15 digits) that the 中間サーバー
/// uses instead of the 個人番号.
public struct IntegratedAddressNumber: ValidatedIdentifier, Comparable {
    public static let kind = "団体内統合宛名番号"
    public let rawValue: String

    public init(_ text: String) throws(IdentifierError) {
        _ = try DigitString.digits(text, length: 15, kind: Self.kind)
        self.rawValue = text
    }

    public init(sequence: Int) {
        precondition(sequence >= 0 && sequence < 1_000_000_000_000_000, "統合宛名番号 sequence out of range")
        let text = String(sequence)
        self.rawValue = String(repeating: "0", count: 15 - text.count) + text
    }

}

/// 宛名番号: a business system's own person key. Up to 15 digits; shorter numbers are
/// zero-padded to 15, as in the batch files (domain.md §6.3), so "123" and
/// "000000000000123" are the same person.
public struct AddressNumber: ValidatedIdentifier, Comparable {
    public static let kind = "宛名番号"
    public let rawValue: String

    public init(_ text: String) throws(IdentifierError) {
        guard !text.isEmpty else { throw IdentifierError(kind: Self.kind, input: text, reason: .empty) }
        guard text.utf8.count <= 15 else { throw IdentifierError(kind: Self.kind, input: text, reason: .tooLong(maximum: 15)) }
        let padded = String(repeating: "0", count: 15 - text.utf8.count) + text
        _ = try DigitString.digits(padded, length: 15, kind: Self.kind)
        self.rawValue = padded
    }

    public init(sequence: Int) {
        precondition(sequence >= 0 && sequence < 1_000_000_000_000_000, "宛名番号 sequence out of range")
        let text = String(sequence)
        self.rawValue = String(repeating: "0", count: 15 - text.count) + text
    }

    /// The number without its zero padding, as business systems usually show it (10 digits).
    public var short: String {
        let trimmed = rawValue.drop(while: { $0 == "0" })
        let minimum = 10
        let text = String(trimmed)
        return text.count >= minimum ? text : String(repeating: "0", count: minimum - text.count) + text
    }

}

/// 機関コード: the 16-digit code of an 情報保有機関 in the linkage. Its inner structure is
/// not public (domain.md §13 #12), so it is treated as opaque digits.
public struct OrganizationCode: ValidatedIdentifier, Comparable {
    public static let kind = "機関コード"
    public let rawValue: String

    public init(_ text: String) throws(IdentifierError) {
        _ = try DigitString.digits(text, length: 16, kind: Self.kind)
        self.rawValue = text
    }

}

/// 地方公共団体コード: 5 digits and a check digit (mod 11, weights 6..2).
public struct LocalGovernmentCode: ValidatedIdentifier {
    public static let kind = "地方公共団体コード"
    public let rawValue: String

    public init(_ text: String) throws(IdentifierError) {
        let digits = try DigitString.digits(text, length: 6, kind: Self.kind)
        let expected = CheckDigit.localGovernment(Array(digits.prefix(5)))
        guard expected == digits[5] else {
            throw IdentifierError(kind: Self.kind, input: text, reason: .checkDigitMismatch(expected: expected, actual: digits[5]))
        }
        self.rawValue = text
    }

    /// The 都道府県 part (first two digits).
    public var prefecture: String { String(rawValue.prefix(2)) }
    /// The 行政区コード: digits 3 to 5 (domain.md §6.2).
    public var administrativeRegion: String { String(rawValue.dropFirst(2).prefix(3)) }

}
