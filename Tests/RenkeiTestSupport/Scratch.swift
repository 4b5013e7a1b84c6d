public import Foundation

/// A new, empty directory under the system's temporary directory, named for what it holds.
/// Prefer `withScratchDirectory`, which removes it.
public func scratchDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs `body` with a new scratch directory and removes the directory afterwards, also when
/// `body` throws.
public func withScratchDirectory<T>(
    _ label: String, isolation: isolated (any Actor)? = #isolation, _ body: (URL) async throws -> T
) async throws -> T {
    let url = try scratchDirectory(label)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}
