public import Foundation
public import RenkeiConfig
public import RenkeiCore
public import RenkeiStore

/// Where a data directory keeps each node's store.
public enum NodeFiles {
    public static func store(_ node: String, in dataDirectory: URL) -> URL {
        dataDirectory.appendingPathComponent("nodes").appendingPathComponent("\(node).sqlite")
    }

    /// The store of `node` opened to read, where the topology keeps it: the network system's in
    /// PostgreSQL when it says so, every other in its file under `dataDirectory`. Close it after.
    public static func reader(_ node: String, topology: Topology, in dataDirectory: URL) throws(RenkeiError) -> any AuditSource {
        if node == topology.networkSystem.name, let location = topology.networkSystem.postgres {
            return PostgresStore(location: location, node: node, signingKey: nil)
        }
        return try StoreReader(url: store(node, in: dataDirectory))
    }

    /// Runs `body` on the store of `node` opened to read, and closes it however `body` ends.
    public static func reading<T>(
        _ node: String, topology: Topology, in dataDirectory: URL, _ body: (any AuditSource) async throws(RenkeiError) -> T
    ) async throws(RenkeiError) -> T {
        let source = try reader(node, topology: topology, in: dataDirectory)
        do throws(RenkeiError) {
            let value = try await body(source)
            await source.close()
            return value
        } catch {
            await source.close()
            throw error
        }
    }
}
