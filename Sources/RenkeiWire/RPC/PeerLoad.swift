import Synchronization

/// Requests in flight per peer identity, across all of a server's connections: the bound that
/// keeps one peer (or one hostile certificate holder) from filling a node with work.
final class PeerLoad: Sendable {
    private let inFlight = Mutex<[String: Int]>([:])
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Counts one more request of `peer`; false (and nothing counted) when it is at its limit.
    func acquire(_ peer: String) -> Bool {
        inFlight.withLock { counts in
            let current = counts[peer, default: 0]
            guard current < limit else { return false }
            counts[peer] = current + 1
            return true
        }
    }

    func release(_ peer: String) {
        inFlight.withLock { counts in
            let remaining = counts[peer, default: 1] - 1
            counts[peer] = remaining > 0 ? remaining : nil
        }
    }
}
