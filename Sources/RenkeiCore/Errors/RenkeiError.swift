/// The one error type that crosses module and node boundaries: a stable code and a sentence
/// that says what went wrong and, where it helps, what to do.
public struct RenkeiError: Error, Hashable, Sendable, CustomStringConvertible {
    public let code: ErrorCode
    public let message: String

    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
