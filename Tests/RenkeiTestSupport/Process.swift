public import Foundation
import Synchronization

/// What a child process printed, and how it ended.
public struct CommandResult: Sendable {
    public let status: Int32
    public let output: String
    public let error: String
}

/// The test's environment with `changes` made (a nil value removes the variable).
public func testEnvironment(changing changes: [String: String?]) -> [String: String] {
    var variables = ProcessInfo.processInfo.environment
    for (name, value) in changes { variables[name] = value }
    return variables
}

/// Runs `executable` with `arguments` from the repository root and waits for it to exit. The
/// blocking reads happen on a thread of their own, never on one the tests' servers need.
public func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String?] = [:]) async throws -> CommandResult {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            do {
                let process = Process()
                process.executableURL = executable
                process.arguments = arguments
                process.currentDirectoryURL = Repository.root
                if !environment.isEmpty { process.environment = testEnvironment(changing: environment) }
                let output = Pipe()
                let error = Pipe()
                process.standardOutput = output
                process.standardError = error
                try process.run()
                // Read stderr on another thread, so that neither pipe can fill and stall the child.
                let stderrBox = DataBox()
                let reader = Thread { stderrBox.set(error.fileHandleForReading.readDataToEndOfFile()) }
                reader.start()
                let stdout = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                let stderr = stderrBox.wait()
                continuation.resume(
                    returning: CommandResult(
                        status: process.terminationStatus, output: String(decoding: stdout, as: UTF8.self),
                        error: String(decoding: stderr, as: UTF8.self)
                    ))
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}

/// Data handed from one thread to another.
final class DataBox: Sendable {
    private let state = Mutex<Data?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func set(_ data: Data) {
        state.withLock { $0 = data }
        ready.signal()
    }

    func wait() -> Data {
        ready.wait()
        return state.withLock { $0 } ?? Data()
    }
}
