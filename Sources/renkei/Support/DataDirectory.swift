import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RenkeiCore
import RenkeiNodes

/// One `renkei up` per data directory: the nodes' stores have one writer each.
struct DataDirectoryLock {
    private let descriptor: Int32

    init(directory: URL) throws(RenkeiError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw RenkeiError(.invalidConfiguration, "cannot create the data directory \(directory.path): \(error.localizedDescription)")
        }
        let path = directory.appendingPathComponent("renkei.lock").path
        descriptor = open(path, O_CREAT | O_RDWR, 0o644)
        guard descriptor >= 0 else {
            throw RenkeiError(.invalidConfiguration, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw RenkeiError(.unavailable, "another renkei up is using \(directory.path); stop it first, or pass another --data")
        }
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// Marks a data directory as seeded, so a restart continues with the population it has.
struct SeedMarker {
    struct Content: Codable {
        let seed: UInt64
        let persons: Int
        let linkCodes: Int
        let duplicates: Int
    }

    let url: URL

    init(directory: URL) { url = directory.appendingPathComponent("population.json") }

    func read() -> Content? {
        (try? Data(contentsOf: url)).flatMap { try? JSONDecoder().decode(Content.self, from: $0) }
    }

    func write(seed: UInt64, summary: PopulationSeeder.Summary) throws {
        let content = Content(seed: seed, persons: summary.persons, linkCodes: summary.linkCodes, duplicates: summary.duplicates)
        try JSONEncoder().encode(content).write(to: url, options: .atomic)
    }
}
