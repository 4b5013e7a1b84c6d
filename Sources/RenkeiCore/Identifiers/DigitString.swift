/// Shared validation for the fixed-width numeric identifiers of the linkage.
enum DigitString {
    /// The digits of `text` when it is exactly `length` ASCII digits.
    static func digits(_ text: String, length: Int, kind: String) throws(IdentifierError) -> [Int] {
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty else { throw IdentifierError(kind: kind, input: text, reason: .empty) }
        guard utf8.count == length else {
            throw IdentifierError(kind: kind, input: text, reason: .wrongLength(expected: length, actual: text.count))
        }
        var result = [Int]()
        result.reserveCapacity(length)
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                throw IdentifierError(kind: kind, input: text, reason: .notNumeric)
            }
            result.append(Int(byte - UInt8(ascii: "0")))
        }
        return result
    }

    /// Digits rendered back to text.
    static func text(_ digits: [Int]) -> String {
        String(decoding: digits.map { UInt8(ascii: "0") + UInt8($0) }, as: UTF8.self)
    }
}

/// The check-digit algorithms used by the identifiers.
public enum CheckDigit {
    /// 個人番号: 総務省令第85号 第5条. Weights 6,5,4,3,2,7,6,5,4,3,2 left to right over the
    /// first 11 digits; r = Σ mod 11; check = 0 when r ≤ 1, else 11 − r.
    public static func myNumber(_ first11: [Int]) -> Int {
        precondition(first11.count == 11, "個人番号 check digit takes 11 digits")
        let weights = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
        let sum = zip(first11, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let r = sum % 11
        return r <= 1 ? 0 : 11 - r
    }

    /// 地方公共団体コード: weights 6..2 over the first 5 digits; check = (11 − r) mod 10.
    public static func localGovernment(_ first5: [Int]) -> Int {
        precondition(first5.count == 5, "地方公共団体コード check digit takes 5 digits")
        let weights = [6, 5, 4, 3, 2]
        let sum = zip(first5, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return (11 - sum % 11) % 10
    }

    /// 住民票コード: the official formula (平成14年総務省告示第436号) is not public in our
    /// sources, so this is a stand-in of the same family: mod 11, weights cycling 2..7 from
    /// the right over the first 10 digits, 0 when r ≤ 1 (domain.md §3.3, [U]).
    public static func residentCodeStandIn(_ first10: [Int]) -> Int {
        precondition(first10.count == 10, "住民票コード check digit takes 10 digits")
        var sum = 0
        for (offset, digit) in first10.reversed().enumerated() {
            sum += digit * (offset % 6 + 2)
        }
        let r = sum % 11
        return r <= 1 ? 0 : 11 - r
    }
}
