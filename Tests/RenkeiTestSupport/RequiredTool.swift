import Foundation
public import Testing

/// The path of `tool` on PATH. A test that needs an outside tool calls this first, so that a
/// missing tool fails the test with a sentence instead of letting it pass for the wrong reason
/// (`/usr/bin/env` exits 127 when the tool is not there). `.ci/run` installs the tools.
@discardableResult
public func requireTool(_ tool: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/\(tool)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    Issue.record("this test needs \(tool), which is not on PATH; install it (.ci/run does)", sourceLocation: sourceLocation)
    throw MissingTool(tool: tool)
}

public struct MissingTool: Error, CustomStringConvertible {
    public let tool: String
    public var description: String { "\(tool) is not installed" }
}
