/// 個人番号 (My Number): 12 digits, the last a check digit (domain.md §3.2).
///
/// Only the AddressSystem and the ResidentRegistry ever hold one; it never crosses the
/// network system.
public struct MyNumber: ValidatedIdentifier, Codable {
    public static let kind = "個人番号"
    public let rawValue: String

    public init(_ text: String) throws(IdentifierError) {
        let digits = try DigitString.digits(text, length: 12, kind: Self.kind)
        let expected = CheckDigit.myNumber(Array(digits.prefix(11)))
        guard expected == digits[11] else {
            throw IdentifierError(kind: Self.kind, input: text, reason: .checkDigitMismatch(expected: expected, actual: digits[11]))
        }
        self.rawValue = text
    }

    /// Builds a number from 11 digits by appending the check digit.
    public init(body first11: [Int]) throws(IdentifierError) {
        guard first11.count == 11, first11.allSatisfy({ (0...9).contains($0) }) else {
            throw IdentifierError(
                kind: Self.kind, input: first11.map(String.init).joined(), reason: .wrongLength(expected: 11, actual: first11.count))
        }
        self.rawValue = DigitString.text(first11 + [CheckDigit.myNumber(first11)])
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
