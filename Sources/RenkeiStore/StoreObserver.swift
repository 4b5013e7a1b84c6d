public import RenkeiCore

/// Hears what a store made durable: the seam where metrics attach (group-commit sizes and
/// times, the 情報提供等記録 written). Called on the writer's thread after the commit;
/// implementations must not block.
public protocol StoreObserver: Sendable {
    /// The writes of one `commit` call, now durable.
    func committed(_ writes: [StoreWrite])
    /// One transaction of the writer: how many `commit` calls it merged, their writes, and how
    /// long the transaction took (fsync included).
    func groupCommitted(commits: Int, writes: Int, duration: Duration)
}
