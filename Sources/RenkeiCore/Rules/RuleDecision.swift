/// The outcome of checking one request against 別表第二.
public enum RuleDecision: Sendable, Hashable {
    /// Permitted by `item`, through its provision at `provisionIndex`.
    case permitted(item: ItemNumber, provisionIndex: Int)
    /// Refused; the error names the rule and what did not match.
    case denied(RenkeiError)

    public var isPermitted: Bool {
        if case .permitted = self { return true }
        return false
    }
}
