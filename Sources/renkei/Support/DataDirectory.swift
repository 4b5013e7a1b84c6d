import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI

#if canImport(Glibc)
import Glibc
#endif

/// One `renkei up` per data directory, and one `renkei node` per node: the nodes' stores have
/// one writer each.
struct DataDirectoryLock {
    private let descriptor: Int32

    /// `node`, when given, takes that node's lock (DATA/nodes/NODE.lock) instead of the data
    /// directory's, so a supervising `renkei up` and its node processes do not exclude each other.
    init(directory: URL, node: String? = nil) throws(RenkeiError) {
        try PrivateFiles.directory(directory)
        var folder = directory
        if node != nil {
            folder = directory.appendingPathComponent("nodes")
            try PrivateFiles.directory(folder)
        }
        let path = folder.appendingPathComponent(node.map { "\($0).lock" } ?? "renkei.lock").path
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw RenkeiError(.invalidConfiguration, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            if let node {
                throw RenkeiError(.unavailable, "node \(node) already runs on \(directory.path) (another renkei node or renkei up); stop it first")
            }
            throw RenkeiError(.unavailable, "another renkei up is using \(directory.path); stop it first, or pass another --data")
        }
        // The holder's process id, for tools that watch it (renkei load samples its memory).
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// Whether a `renkei up` holds the lock of `directory` now (without taking it).
    static func isHeld(directory: URL) -> Bool {
        let descriptor = open(directory.appendingPathComponent("renkei.lock").path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_SH | LOCK_NB) == 0 else { return true }
        flock(descriptor, LOCK_UN)
        return false
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// Marks a data directory as seeded, with what was seeded, so a restart continues with the
/// population it has and `renkei population` lists the same people.
struct SeedMarker {
    let url: URL

    /// The data directory's marker (every node seeded), or with `node` that node's own
    /// (DATA/nodes/NODE.population.json), written by a node in its own process.
    init(directory: URL, node: String? = nil) {
        url =
            if let node { directory.appendingPathComponent("nodes").appendingPathComponent("\(node).population.json") } else {
                directory.appendingPathComponent("population.json")
            }
    }

    func read() -> DataSeeder.Summary? {
        (try? Data(contentsOf: url)).flatMap { try? JSONDecoder().decode(DataSeeder.Summary.self, from: $0) }
    }

    func write(_ summary: DataSeeder.Summary) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(summary).write(to: url, options: .atomic)
    }
}

extension DataSeeder.Summary {
    var line: String { "\(persons) persons, \(linkCodes) 符号, \(duplicates) 副本, \(flags) flags (scenario \(scenario), seed \(seed))" }

    /// The population plan these people were made from.
    func plan(_ topology: Topology) -> PopulationPlan {
        var plan = topology.population
        plan.seed = seed
        if let date = try? CivilDate(referenceDate) { plan.referenceDate = date }
        plan.cities = plan.cities.compactMap { city in
            cities[city.id].map { PopulationPlan.City(id: city.id, name: city.name, prefecture: city.prefecture, residents: $0, towns: city.towns) }
        }
        plan.moves = plan.moves.filter { move in cities[move.from] != nil && cities[move.to] != nil }
        return plan
    }
}
