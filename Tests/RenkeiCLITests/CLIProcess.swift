import Dispatch
import Foundation
import RenkeiLoad
import RenkeiTestSupport
import Synchronization

/// The built `renkei` executable, next to the test bundle.
let renkeiExecutable: URL = {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("renkei")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    return Repository.root.appendingPathComponent(".build/debug/renkei")
}()

/// Runs `renkei` with `arguments` from the repository root and waits for it to exit;
/// `environment` changes the test's environment for it (nil removes a variable).
func renkei(_ arguments: [String], environment: [String: String?] = [:]) async throws -> CommandResult {
    try await runProcess(renkeiExecutable, arguments, environment: environment)
}

/// A `renkei up` running as a child process, its output read line by line.
final class RunningUp {
    let process: Process
    let lines: AsyncStream<String>
    let exit: AsyncStream<Int32>

    /// `errorLog`, when given, receives what the process writes to standard error (its log);
    /// `environment` changes the test's environment for it (nil removes a variable).
    init(arguments: [String], errorLog: URL? = nil, environment: [String: String?] = [:]) throws {
        let process = Process()
        process.executableURL = renkeiExecutable
        process.arguments = ["up"] + arguments
        process.currentDirectoryURL = Repository.root
        if !environment.isEmpty { process.environment = testEnvironment(changing: environment) }
        let pipe = Pipe()
        process.standardOutput = pipe
        if let errorLog {
            _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: errorLog)
        } else {
            process.standardError = FileHandle.nullDevice
        }
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

    /// A test that ends early (a failed #require) leaves no network running behind it.
    deinit {
        guard process.isRunning else { return }
        let nodes = childProcesses(of: process.processIdentifier)
        process.terminate()
        for node in nodes { Foundation.kill(node, SIGTERM) }
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

    /// The next line that starts with `prefix` (after ready: what the supervisor reports); nil if it ended first.
    func waitForLine(startingWith prefix: String) async -> String? {
        for await line in lines where line.hasPrefix(prefix) { return line }
        return nil
    }

    /// For a start that should fail: the lines printed and the exit status, or nil lines when
    /// it became ready after all (then it is stopped).
    func waitForRefusal() async -> (lines: [String]?, status: Int32) {
        var seen = [String]()
        for await line in lines {
            if line == "ready" { return (nil, await interrupt()) }
            seen.append(line)
        }
        var statuses = exit.makeAsyncIterator()
        return (seen, await statuses.next() ?? -1)
    }

    func interrupt() async -> Int32 {
        process.interrupt()
        var statuses = exit.makeAsyncIterator()
        return await statuses.next() ?? -1
    }

    /// SIGKILL: no shutdown, no final checkpoint, whatever was in flight is cut off; node
    /// processes of a supervising `renkei up` are killed at the same moment, as by a power cut.
    func kill() async {
        let nodes = childProcesses(of: process.processIdentifier)
        Foundation.kill(process.processIdentifier, SIGKILL)
        for node in nodes { Foundation.kill(node, SIGKILL) }
        var statuses = exit.makeAsyncIterator()
        _ = await statuses.next()
    }
}

/// The processes whose parent is `parent`, from /proc.
func childProcesses(of parent: Int32) -> [Int32] { ProcessSampler.children(of: parent) }

/// How `renkei up` runs the nodes; the end-to-end tests run in both.
enum UpMode: String, CaseIterable, Sendable, CustomStringConvertible {
    case processPerNode = "a process per node"
    case singleProcess = "--single-process"

    var arguments: [String] { self == .singleProcess ? ["--single-process"] : [] }
    var description: String { rawValue }
}
