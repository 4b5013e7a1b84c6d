public import Foundation

/// Where a data directory keeps each node's store.
public enum NodeFiles {
    public static func store(_ node: String, in dataDirectory: URL) -> URL {
        dataDirectory.appendingPathComponent("nodes").appendingPathComponent("\(node).sqlite")
    }
}
