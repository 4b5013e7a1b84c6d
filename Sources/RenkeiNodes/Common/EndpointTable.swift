public import RenkeiCore
import Synchronization

/// Where each node listens, by name. Filled as servers bind (ports may be ephemeral) and
/// read when a client first calls a peer.
public final class EndpointTable: Sendable {
    private let entries = Mutex<[String: Endpoint]>([:])

    public init(_ initial: [String: Endpoint] = [:]) {
        entries.withLock { $0 = initial }
    }

    public func set(_ name: String, _ endpoint: Endpoint) { entries.withLock { $0[name] = endpoint } }
    public func endpoint(_ name: String) -> Endpoint? { entries.withLock { $0[name] } }
    public var all: [String: Endpoint] { entries.withLock { $0 } }

    /// Where `name` and its replicas (`name#2`, `name#3` …, in order) listen: the node first.
    public func replicas(of name: String) -> [Endpoint] {
        entries.withLock { entries in
            guard let first = entries[name] else { return [] }
            var found = [first]
            var number = 2
            while let next = entries["\(name)#\(number)"] {
                found.append(next)
                number += 1
            }
            return found
        }
    }
}
