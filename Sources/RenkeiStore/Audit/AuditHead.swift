/// The head of a node's audit log as its writer keeps it: the size, the last chain hash, the
/// Merkle frontier, and the newest checkpoint's size and time (SQLite keeps it in memory on its
/// writer thread; PostgreSQL reads it from the locked head row in every transaction).
struct AuditHead {
    var size: Int
    var chain: [UInt8]
    var frontier: MerkleTree.Frontier
    var checkpointedSize: Int
    var checkpointedAt: Int64
}
