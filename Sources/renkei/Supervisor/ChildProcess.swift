import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process whose standard output is read line by line; its standard error is ours,
/// so what it reports reaches the person running renkei as it is written.
final class ChildProcess: Sendable {
    let lines: AsyncStream<String>
    let pid: Int32
    private let ending: Ending

    init(executable: URL, arguments: [String]) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        let (lines, lineSink) = AsyncStream<String>.makeStream()
        let ending = Ending()
        process.terminationHandler = { ended in
            // A signal is reported as 128 + its number, as shells do.
            ending.set(ended.terminationReason == .uncaughtSignal ? 128 + ended.terminationStatus : ended.terminationStatus)
        }
        let handle = pipe.fileHandleForReading
        // availableData blocks, so the reading has a thread of its own rather than a task of the pool.
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
        try process.run()
        pid = process.processIdentifier
        self.lines = lines
        self.ending = ending
        reader.start()
    }

    func signal(_ number: Int32) { _ = kill(pid, number) }

    /// The exit status; waits for it.
    func status() async -> Int32 { await ending.wait() }

    /// The exit status once the process ended, and who waits for it (more than one may).
    private final class Ending: Sendable {
        private let state = Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

        func set(_ status: Int32) {
            let waiters = state.withLock { state in
                state.status = status
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: status) }
        }

        func wait() async -> Int32 {
            await withCheckedContinuation { waiter in
                let ended = state.withLock { state in
                    if state.status == nil { state.waiters.append(waiter) }
                    return state.status
                }
                if let ended { waiter.resume(returning: ended) }
            }
        }
    }
}
