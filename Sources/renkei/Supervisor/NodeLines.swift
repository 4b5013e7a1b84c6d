import RenkeiConfig
import RenkeiCore
import RenkeiNodes

/// The lines `renkei up` and `renkei node` print before `ready`: one per node, then the
/// population. A supervising `renkei up` reads its node processes' lines by these prefixes.
enum NodeLines {
    static let population = "population       "
    static let retention = "retention        purged "

    /// The retention line of `count` purged records.
    static func purged(_ count: Int) -> String {
        "\(retention)\(count) 情報提供等記録 older than \(Retention.years) years"
    }

    /// The count of a node's retention line.
    static func purgedCount(_ line: String) -> Int? {
        guard line.hasPrefix(retention) else { return nil }
        return Int(line.dropFirst(retention.count).prefix { $0.isNumber })
    }

    /// One line per node; `instance` names a replica (nws#2) that runs the one node here.
    static func lines(
        _ nodes: [LinkageNetwork.RunningNode], edges: [String: Endpoint], metrics: [String: Endpoint], instance: String? = nil
    )
        -> [String]
    {
        nodes.map { node in
            let edge = edges[node.name].map { "  https://\($0)" } ?? ""
            let scraped = metrics[node.name].map { "  metrics http://\($0)/metrics" } ?? ""
            let name = instance.flatMap { $0 != node.name ? $0 : nil } ?? node.name
            let replica = name != node.name ? " (replica)" : ""
            return
                "\(name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(node.role.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(node.address)  \(node.summary)\(replica)\(edge)\(scraped)"
        }
    }

    /// Said when the topology's further replicas of the network system do not run.
    static func replicasNotStarted(_ topology: Topology, reason: String) -> String {
        let names = topology.replicaInstances.map(\.name).joined(separator: ", ")
        return "\(names.padding(toLength: 16, withPad: " ", startingAt: 0)) not started: \(reason)"
    }
}
