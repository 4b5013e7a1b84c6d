/// 住民票コード: 11 digits, 10 random and a check digit; internal to 住基ネット (J-LIS).
///
/// The official check-digit formula is not public in our sources, so the check digit is
/// verified with `CheckDigit.residentCodeStandIn` only when `verifyingCheckDigit` is set.
public struct ResidentCode: ValidatedIdentifier {
    public static let kind = "住民票コード"
    public let rawValue: String

    public init(_ text: String) throws(IdentifierError) { try self.init(text, verifyingCheckDigit: true) }

    public init(_ text: String, verifyingCheckDigit: Bool) throws(IdentifierError) {
        let digits = try DigitString.digits(text, length: 11, kind: Self.kind)
        if verifyingCheckDigit {
            let expected = CheckDigit.residentCodeStandIn(Array(digits.prefix(10)))
            guard expected == digits[10] else {
                throw IdentifierError(kind: Self.kind, input: text, reason: .checkDigitMismatch(expected: expected, actual: digits[10]))
            }
        }
        self.rawValue = text
    }

    public init(body first10: [Int]) {
        precondition(first10.count == 10 && first10.allSatisfy { (0...9).contains($0) }, "住民票コード body is 10 digits")
        self.rawValue = DigitString.text(first10 + [CheckDigit.residentCodeStandIn(first10)])
    }
}
