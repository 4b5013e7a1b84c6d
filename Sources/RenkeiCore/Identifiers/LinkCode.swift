/// 符号 (情報提供用個人識別符号 / 機関別符号): the opaque per-person, per-機関 token the
/// linkage uses instead of the 個人番号. Its real length and alphabet are not public, so
/// it is validated only as a bounded URL-safe string.
public struct LinkCode: ValidatedIdentifier {
    public static let kind = "符号"
    public static let maximumLength = 128
    public let rawValue: String

    public init(_ text: String) throws(IdentifierError) {
        guard !text.isEmpty else { throw IdentifierError(kind: Self.kind, input: text, reason: .empty) }
        guard text.utf8.count <= Self.maximumLength else {
            throw IdentifierError(kind: Self.kind, input: text, reason: .tooLong(maximum: Self.maximumLength))
        }
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        guard allowed else { throw IdentifierError(kind: Self.kind, input: text, reason: .invalidCharacters) }
        self.rawValue = text
    }

    /// Never print a whole 符号 in logs or messages: a prefix is enough to tell them apart.
    public var description: String { String(rawValue.prefix(8)) + "…" }
}

/// 処理通番 / 取得番号: correlates one 符号 acquisition across J-LIS and the network system.
/// It must not be a 個人番号 or 住民票コード; here it is "P" and up to 31 alphanumerics.
public struct ProcessingNumber: ValidatedIdentifier {
    public static let kind = "処理通番"
    public let rawValue: String

    public init(_ text: String) throws(IdentifierError) {
        guard !text.isEmpty else { throw IdentifierError(kind: Self.kind, input: text, reason: .empty) }
        guard text.utf8.count <= 32 else { throw IdentifierError(kind: Self.kind, input: text, reason: .tooLong(maximum: 32)) }
        guard text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) }) else {
            throw IdentifierError(kind: Self.kind, input: text, reason: .invalidCharacters)
        }
        self.rawValue = text
    }

}

/// 受付番号 (ReceptionNumber): the inquirer 中間サーバー's number for one inquiry, used to
/// poll for its result and to bind the permit to it.
public struct ReceptionNumber: ValidatedIdentifier, Comparable {
    public static let kind = "受付番号"
    public let rawValue: String

    public init(_ text: String) throws(IdentifierError) {
        guard !text.isEmpty else { throw IdentifierError(kind: Self.kind, input: text, reason: .empty) }
        guard text.utf8.count <= 40 else { throw IdentifierError(kind: Self.kind, input: text, reason: .tooLong(maximum: 40)) }
        guard text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || $0 == 45 }) else {
            throw IdentifierError(kind: Self.kind, input: text, reason: .invalidCharacters)
        }
        self.rawValue = text
    }

    /// A new 受付番号 nobody can guess: R and 96 random bits in upper-case hex, from the
    /// system's cryptographic generator. A counter would let one system count its way to
    /// another's inquiries.
    public static func random() -> ReceptionNumber {
        var generator = SystemRandomNumberGenerator()
        let bits = (0..<3).map { _ in UInt32.random(in: .min ... .max, using: &generator) }
        let text = bits.map { word in
            let hex = String(word, radix: 16, uppercase: true)
            return String(repeating: "0", count: 8 - hex.count) + hex
        }.joined()
        // 25 characters of 0-9 and A-Z: always a valid 受付番号.
        return ReceptionNumber(unchecked: "R" + text)
    }

    private init(unchecked text: String) { rawValue = text }

}
