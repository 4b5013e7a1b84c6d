public import RenkeiCore
public import RenkeiWire

/// A node of the linkage as a network runs it: the requests it serves, its memory rebuilt from
/// its store, and what it runs on its own. The network system, J-LIS, each 中間サーバー and each
/// 団体内統合宛名システム is one; a network starts any list of them (`NodePlan`).
public protocol LinkageNode: Actor {
    /// The requests the node serves, by method.
    nonisolated var router: RPCRouter { get }
    /// Rebuilds the node's memory from its store (at start, and after a reset or a seed).
    func reload() async throws(RenkeiError)
    /// Starts what the node runs on its own (timers), once it serves.
    func start() async
    /// Stops what `start()` started.
    func stop() async
}

extension LinkageNode {
    public func start() async {}
    public func stop() async {}
}

extension NetworkSystem: LinkageNode {}
extension ResidentRegistry: LinkageNode {}
extension AddressSystem: LinkageNode {}
extension IntermediateServer: LinkageNode {}
