import RenkeiCore

#if canImport(Glibc)
import Glibc
#endif

/// Open files a process needs for its nodes, checked before any starts: past the limit, a
/// socket or a SQLite file fails to open deep inside a library (libdispatch traps), so a
/// national topology in one process crashed instead of saying why.
enum FileLimit {
    /// Measured on the default topology: 124 descriptors for 8 durable nodes (SQLite's database,
    /// WAL and shared-memory files for the writer and readers, listeners, peer connections), 40
    /// for 8 in memory; with room for connections under load.
    static func needed(nodes: Int, durable: Bool) -> Int { nodes * (durable ? 18 : 7) + 64 }

    /// Raises the soft limit towards the hard one when `nodes` need more, and refuses when even
    /// the hard limit is too low.
    static func require(nodes: Int, durable: Bool) throws(RenkeiError) {
        let needed = needed(nodes: nodes, durable: durable)
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        guard limit.rlim_cur < rlim_t(needed) else { return }
        var raised = limit
        raised.rlim_cur = min(limit.rlim_max, rlim_t(needed))
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised)
        // Read back: what was asked for is only a request.
        var now = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &now) == 0, now.rlim_cur < rlim_t(needed) else { return }
        throw RenkeiError(
            .invalidConfiguration,
            "\(nodes) nodes in one process need about \(needed) open files, and this process may open \(now.rlim_cur) (ulimit -n; the hard limit is \(now.rlim_max)); raise the limit, run with --memory (about \(Self.needed(nodes: nodes, durable: false))), or give each node its own process (renkei up without --single-process)"
        )
    }
}
