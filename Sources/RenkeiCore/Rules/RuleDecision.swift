/// The outcome of checking one request against 別表第二.
public enum RuleDecision: Sendable, Hashable {
    /// Permitted by `item`, through its provision at `provisionIndex`.
    case permitted(item: ItemNumber, provisionIndex: Int)
    /// Refused; the error names the rule and what did not match, `field` which side missed.
    case denied(RenkeiError, field: Field)

    /// The part of a request a denial is about.
    public enum Field: String, Sendable, Hashable {
        case item
        case inquirer
        case provider
        case information
    }

    public var isPermitted: Bool {
        if case .permitted = self { return true }
        return false
    }
}
