import GRDB
import Synchronization

/// Copies a store's WAL into its database beside the writer, not in front of it.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on the
/// writer: every caller queued behind that commit waited for the copy and its fsync. Under
/// a steady 500 inquiries/s that was 20–40 ms, several times a second across the busy
/// stores, and it was the whole of the p99 (1.5 ms with the same load on in-memory stores).
/// A PASSIVE checkpoint from a second connection takes no write lock, so commits go on
/// while it runs; the writer's automatic checkpoint stays as a backstop.
final class WALCheckpointer: Sendable {
    /// One checkpoint: the WAL's frames, and how many of them are now in the database.
    struct Pass: Sendable, Equatable {
        let walFrames: Int
        let checkpointed: Int
    }

    private let connection: DatabaseQueue
    private let loop = Mutex<Task<Void, Never>?>(nil)
    /// Every completed checkpoint, newest kept, for tests to wait on instead of sleeping.
    let passes: AsyncStream<Pass>

    init(path: String, interval: Duration) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "checkpointer"
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        self.connection = connection
        let (passes, report) = AsyncStream.makeStream(of: Pass.self, bufferingPolicy: .bufferingNewest(16))
        self.passes = passes
        let task = Task {
            defer { report.finish() }
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { break }
                // A checkpoint that fails (the database busy past the timeout) is retried at
                // the next interval; the writer's backstop bounds the WAL meanwhile.
                if let result = try? await connection.writeWithoutTransaction({ db in try db.checkpoint(.passive) }) {
                    report.yield(Pass(walFrames: result.walFrameCount, checkpointed: result.checkpointedFrameCount))
                }
            }
        }
        loop.withLock { $0 = task }
    }

    // The loop holds the connection, not this object: a store dropped without close() stops it here.
    deinit { loop.withLock { $0?.cancel() } }

    /// Stops the loop and waits for a checkpoint in progress to finish.
    func stop() async {
        let task = loop.withLock { $0 }
        task?.cancel()
        await task?.value
        try? connection.close()
    }
}
