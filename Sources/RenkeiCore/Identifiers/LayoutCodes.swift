/// The codes of the データ標準レイアウト share one shape: a two-letter prefix and 14 digits.
enum LayoutCode {
    static func validate(_ text: String, prefix: String, kind: String) throws(IdentifierError) {
        guard text.utf8.count == 16 else {
            throw IdentifierError(kind: kind, input: text, reason: .wrongLength(expected: 16, actual: text.count))
        }
        guard text.hasPrefix(prefix) else {
            throw IdentifierError(kind: kind, input: text, reason: .wrongPrefix(expected: prefix))
        }
        _ = try DigitString.digits(String(text.dropFirst(2)), length: 14, kind: kind)
    }
}

/// 事務コード (`JM` + 14 digits).
public struct AffairCode: ValidatedIdentifier {
    /// For codes built from digits this module has produced itself.
    init(trusted text: String) { self.rawValue = text }
    public static let kind = "事務コード"
    public let rawValue: String
    public init(_ text: String) throws(IdentifierError) {
        try LayoutCode.validate(text, prefix: "JM", kind: Self.kind)
        self.rawValue = text
    }
}

/// 事務手続コード (`JT` + 14 digits).
public struct ProcedureCode: ValidatedIdentifier {
    /// For codes built from digits this module has produced itself.
    init(trusted text: String) { self.rawValue = text }
    public static let kind = "事務手続コード"
    public let rawValue: String
    public init(_ text: String) throws(IdentifierError) {
        try LayoutCode.validate(text, prefix: "JT", kind: Self.kind)
        self.rawValue = text
    }
}

/// 特定個人情報名コード (`TM` + 14 digits).
public struct InformationCode: ValidatedIdentifier, Comparable {
    public static let kind = "特定個人情報名コード"
    public let rawValue: String
    public init(_ text: String) throws(IdentifierError) {
        try LayoutCode.validate(text, prefix: "TM", kind: Self.kind)
        self.rawValue = text
    }
}
