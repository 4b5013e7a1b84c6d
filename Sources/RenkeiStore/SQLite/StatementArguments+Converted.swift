import GRDB

extension StatementArguments {
    /// Arguments from values already in SQLite's form. GRDB's `init(_:)` for a sequence of one
    /// convertible type maps it through a key path, unspecialised: about a thousand
    /// instructions a value, on the inquiry path (callgrind, issue 16). Its initialiser for
    /// optional existentials maps with a closure.
    init(converted values: [DatabaseValue]) {
        self.init(values.map { $0 as (any DatabaseValueConvertible)? })
    }
}
