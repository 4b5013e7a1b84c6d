/// What a node's store holds at start: its state as writes, and the rows that could not be
/// read back (each skipped, none hiding the rest).
public struct StoredState: Sendable {
    public var writes: [StoreWrite] = []
    public var damaged: [DamagedRow] = []

    public init(writes: [StoreWrite] = [], damaged: [DamagedRow] = []) {
        self.writes = writes
        self.damaged = damaged
    }
}

/// A stored row that no longer reads as what it should be.
public struct DamagedRow: Sendable, Hashable, CustomStringConvertible {
    public let table: String
    /// The row's key as a SQL condition, e.g. `tenant = '…' AND person = '…'`.
    public let key: String
    public let reason: String

    public init(table: String, key: String, reason: String) {
        self.table = table
        self.key = key
        self.reason = reason
    }

    public var description: String { "table \(table), row \(key): \(reason)" }
}
