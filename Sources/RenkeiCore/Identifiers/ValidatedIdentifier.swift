/// An identifier of the linkage (宛名番号, 機関コード, 符号 …): a text checked once, where it
/// comes in, and carried as its type from then on. One protocol, so each identifier writes
/// only its own rule.
public protocol ValidatedIdentifier: Hashable, Sendable, CustomStringConvertible {
    /// Its name in the law and the 中間サーバー's documents, for error sentences.
    static var kind: String { get }
    /// The text as checked (and normalised, for a padded 宛名番号).
    var rawValue: String { get }
    /// Checks `text`; fails with an `IdentifierError` that names the identifier and the reason.
    init(_ text: String) throws(IdentifierError)
}

extension ValidatedIdentifier {
    public var description: String { rawValue }

    /// Identifiers that are ordered sort by their text.
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
