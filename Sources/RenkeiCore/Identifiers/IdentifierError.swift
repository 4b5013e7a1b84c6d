/// Why a string is not a valid identifier of the given kind.
public struct IdentifierError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        case wrongLength(expected: Int, actual: Int)
        case notNumeric
        case wrongPrefix(expected: String)
        case checkDigitMismatch(expected: Int, actual: Int)
        case empty
        case tooLong(maximum: Int)
        case invalidCharacters
        case reservedValue
    }

    /// The identifier kind, in Japanese as users know it (e.g. 個人番号).
    public let kind: String
    public let input: String
    public let reason: Reason

    public init(kind: String, input: String, reason: Reason) {
        self.kind = kind
        self.input = input
        self.reason = reason
    }

    public var description: String {
        let shown = input.count > 40 ? String(input.prefix(40)) + "…" : input
        switch reason {
        case let .wrongLength(expected, actual):
            return "\(kind) must have \(expected) characters, \"\(shown)\" has \(actual)"
        case .notNumeric:
            return "\(kind) must be digits 0-9 only, \"\(shown)\" is not"
        case let .wrongPrefix(expected):
            return "\(kind) must start with \(expected), \"\(shown)\" does not"
        case let .checkDigitMismatch(expected, actual):
            return "\(kind) \"\(shown)\" fails its check digit (expected \(expected), found \(actual))"
        case .empty:
            return "\(kind) must not be empty"
        case let .tooLong(maximum):
            return "\(kind) must have at most \(maximum) characters, \"\(shown)\" is longer"
        case .invalidCharacters:
            return "\(kind) \"\(shown)\" contains characters that are not allowed"
        case .reservedValue:
            return "\(kind) \"\(shown)\" is a reserved value that is never issued"
        }
    }
}

extension RenkeiError {
    public init(_ error: IdentifierError) {
        self.init(.invalidIdentifier, error.description)
    }
}
