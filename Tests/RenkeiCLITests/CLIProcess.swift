import Foundation
import Synchronization

/// The built `renkei` executable, next to the test bundle.
let renkeiExecutable: URL = {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("renkei")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    return repositoryRoot.appendingPathComponent(".build/debug/renkei")
}()

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

struct CommandResult {
    let status: Int32
    let output: String
    let error: String
}

/// Runs `renkei` with `arguments` from the repository root and waits for it to exit.
func renkei(_ arguments: [String]) async throws -> CommandResult {
    let process = Process()
    process.executableURL = renkeiExecutable
    process.arguments = arguments
    process.currentDirectoryURL = repositoryRoot
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    let exited = AsyncStream<Int32>.makeStream()
    process.terminationHandler = { exited.continuation.yield($0.terminationStatus) }
    try process.run()
    let stdout = output.fileHandleForReading.readDataToEndOfFile()
    let stderr = error.fileHandleForReading.readDataToEndOfFile()
    var statuses = exited.stream.makeAsyncIterator()
    let status = await statuses.next() ?? -1
    return CommandResult(status: status, output: String(decoding: stdout, as: UTF8.self), error: String(decoding: stderr, as: UTF8.self))
}

/// A `renkei up` running as a child process, its output read line by line.
final class RunningUp {
    let process: Process
    let lines: AsyncStream<String>
    let exit: AsyncStream<Int32>

    init(arguments: [String]) throws {
        let process = Process()
        process.executableURL = renkeiExecutable
        process.arguments = ["up"] + arguments
        process.currentDirectoryURL = repositoryRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let (lines, lineSink) = AsyncStream<String>.makeStream()
        let (exit, exitSink) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { exitSink.yield($0.terminationStatus) }
        let handle = pipe.fileHandleForReading
        let reader = Thread {
            var buffer = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: 0x0A) {
                    lineSink.yield(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                    buffer.removeSubrange(buffer.startIndex...newline)
                }
            }
            lineSink.finish()
        }
        self.process = process
        self.lines = lines
        self.exit = exit
        try process.run()
        reader.start()
    }

    /// The lines printed up to and including `ready`; nil if it ended first.
    func waitForReady() async -> [String]? {
        var seen = [String]()
        for await line in lines {
            seen.append(line)
            if line == "ready" { return seen }
        }
        return nil
    }

    func interrupt() async -> Int32 {
        process.interrupt()
        var statuses = exit.makeAsyncIterator()
        return await statuses.next() ?? -1
    }

    /// SIGKILL: no shutdown, no final checkpoint, whatever was in flight is cut off.
    func kill() async {
        Foundation.kill(process.processIdentifier, SIGKILL)
        var statuses = exit.makeAsyncIterator()
        _ = await statuses.next()
    }
}

func scratchDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
