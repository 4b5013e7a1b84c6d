import RenkeiCore
import RenkeiNodes

/// The lines `renkei up` and `renkei node` print before `ready`: one per node, then the
/// population. A supervising `renkei up` reads its node processes' lines by these prefixes.
enum NodeLines {
    static let population = "population       "

    static func lines(_ nodes: [LinkageNetwork.RunningNode], edges: [String: Endpoint]) -> [String] {
        nodes.map { node in
            let edge = edges[node.name].map { "  https://\($0)" } ?? ""
            return
                "\(node.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(node.role.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(node.address)  \(node.summary)\(edge)"
        }
    }
}
