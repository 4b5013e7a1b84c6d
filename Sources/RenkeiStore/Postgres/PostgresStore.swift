public import Crypto
import Foundation
import GRDB
public import Logging
import NIOCore
import PostgresNIO
public import RenkeiCore
import Synchronization

/// The network system's store in PostgreSQL, so that replicas of it share one state: the 処理通番
/// issued and used, the exchanges awaiting a manual answer, the 情報提供等記録 and the audit log
/// with its hash chain, Merkle frontier and signed checkpoints.
///
/// Each replica commits whatever has queued up as one transaction (group commit), and every
/// transaction first locks the log's head row: appends from the replicas are serialised, each
/// extending the chain the other left, and a checkpoint either signs covers both. Callers resume
/// only after COMMIT, so an answer is sent only once its records are in PostgreSQL.
///
/// It keeps the network system's writes only; any other write is refused (a 中間サーバー's or
/// 宛名's state stays in its own SQLite file).
public final class PostgresStore: NodeStore {
    public struct Options: Sendable {
        public var checkpointEvery = 1_000
        public var checkpointInterval: Duration = .seconds(5)
        /// Connections this replica keeps to the server (one writes, the rest read).
        public var connections = 4
        /// How long one transaction or read may wait for the server (for a connection, a lock,
        /// an answer) before it fails with UNAVAILABLE: a server that is down or unreachable
        /// stalls no caller for longer, and nothing of a failed transaction is kept.
        public var timeout: Duration = .seconds(5)
        /// How long opening may wait for the schema to be made or found (replicas starting
        /// together wait for each other's).
        public var schemaTimeout: Duration = .seconds(30)
        public init() {}
    }

    public let node: String
    public let location: PostgresLocation
    let timeout: Duration
    let schemaTimeout: Duration
    let client: PostgresClient
    let logger: Logger
    private let running: Task<Void, Never>
    /// The schema made (or found): every operation waits for it and fails with its error.
    private let schemaReady: Task<Void, any Error>
    /// Nil for a store opened to read (`audit verify`, reconciliation): it never writes or signs.
    private let writer: PostgresWriter?
    private let observer = Mutex<(any StoreObserver)?>(nil)
    private let closed = Atomic<Bool>(false)
    public let signedCheckpoints: AsyncStream<AuditCheckpoint>
    public var keepsSignedLog: Bool { true }
    public var isShared: Bool { true }

    /// Opens the store of `node`; without `signingKey` it only reads, and never makes the schema.
    public init(
        location: PostgresLocation, node: String, signingKey: P256.Signing.PrivateKey?, options: Options = Options(),
        clock: SimulationClock = SimulationClock(), logger: Logger = Logger(label: "renkei.postgres")
    ) {
        self.node = node
        self.location = location
        // The client's own reconnection attempts are info-level chatter: a failure reaches the
        // caller as UNAVAILABLE with the server's name instead.
        var quieter = logger
        quieter.logLevel = max(logger.logLevel, .warning)
        let logger = quieter
        self.logger = logger
        self.timeout = options.timeout
        self.schemaTimeout = options.schemaTimeout
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password, database: location.database,
            tls: .disable)
        configuration.options.maximumConnections = max(2, options.connections)
        configuration.options.connectTimeout = .seconds(3)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        running = Task { await client.run() }
        let (stream, continuation) = AsyncStream.makeStream(of: AuditCheckpoint.self, bufferingPolicy: .bufferingNewest(2))
        signedCheckpoints = stream
        let schema = location.schema
        let tables = PostgresTables(schema: schema)
        schemaReady = Task {
            guard signingKey != nil else {
                let found = try await client.query("SELECT to_regclass(\(tables.head))::text", logger: logger).collect()
                guard try found.first?.decode(String?.self) != nil else {
                    throw RenkeiError(
                        .invalidConfiguration,
                        "\(location) holds no store of \(node) (no table \(tables.head)); has renkei up run with this topology?")
                }
                return
            }
            try await client.withTransaction(logger: logger) { connection in
                _ = try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.creationLock), hashtext(\(schema)))", logger: logger)
                // Made already (by the other replica, or an earlier run): its DDL would take locks
                // that writers hold, and deadlock with them.
                let found = try await connection.query("SELECT to_regclass(\(tables.head))::text", logger: logger).collect()
                guard try found.first?.decode(String?.self) == nil else { return }
                for statement in PostgresSchema.statements(schema, emptyFrontier: MerkleTree.Frontier().serialized) {
                    _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
        }
        writer = signingKey.map { key in
            PostgresWriter(
                client: client, schema: schema, node: node, signingKey: key, options: options, clock: clock, logger: logger,
                checkpoints: continuation)
        }
        if writer == nil { continuation.finish() }
    }

    /// Waits for the schema; an unreachable server or a refused login is named here.
    func ready() async throws(RenkeiError) {
        let schemaReady = schemaReady
        do { try await Self.bounded(schemaTimeout, node: node) { try await schemaReady.value } } catch {
            throw failure(error, doing: "reach")
        }
    }

    func failure(_ error: any Error, doing what: String) -> RenkeiError {
        if let error = PostgresFailure.cause(error) as? RenkeiError { return error }
        return RenkeiError(
            .unavailable,
            "the network system's PostgreSQL store at \(location) could not \(what): \(PostgresFailure.describe(error)). Check that the server runs and the URL in the topology (network_system.postgres)"
        )
    }

    public func observe(_ observer: any StoreObserver) { self.observer.withLock { $0 = observer } }

    public func commit(_ writes: [StoreWrite]) async throws(RenkeiError) {
        guard !writes.isEmpty else { return }
        guard !closed.load(ordering: .acquiring) else { throw RenkeiError(.unavailable, "the store of \(node) is closed") }
        guard let writer else { throw RenkeiError(.internalError, "the store of \(node) was opened to read, not to write") }
        try await ready()
        let started = ContinuousClock.now
        let batch = try await writer.commit(writes)
        if let observer = observer.withLock({ $0 }) {
            if let batch { observer.groupCommitted(commits: batch.commits, writes: batch.writes, duration: ContinuousClock.now - started) }
            observer.committed(writes)
        }
    }

    public func checkpointNow() async throws(RenkeiError) -> AuditCheckpoint? {
        guard let writer else { return nil }
        try await ready()
        return try await writer.checkpointNow()
    }

    /// Stops taking writes, signs a last checkpoint over what this replica wrote, closes the connections.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        if let writer {
            if (try? await ready()) != nil { _ = try? await writer.checkpointNow() }
            await writer.finish()
        }
        running.cancel()
        _ = await running.value
    }

    deinit { running.cancel() }

    /// Runs `body` for at most `timeout`; past it, fails with PostgresTimeout and cancels `body`
    /// (which may finish later: the client does not give up a wait for a connection on
    /// cancellation, so the caller is not kept waiting for it).
    static func bounded<T: Sendable>(_ timeout: Duration, node: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let race = Race<T>()
        return try await withCheckedThrowingContinuation { continuation in
            race.start(continuation)
            let work = Task {
                do { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) }
            }
            let timer = Task {
                try await Task.sleep(for: timeout)
                if race.finish(.failure(PostgresTimeout(seconds: timeout.components.seconds))) { work.cancel() }
            }
            race.onFinish { timer.cancel() }
        }
    }
}

/// A continuation resumed by the first of two tasks to finish.
private final class Race<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var finished = false
        var cleanup: (@Sendable () -> Void)?
    }
    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, any Error>) { state.withLock { $0.continuation = continuation } }

    /// Runs `cleanup` once the race is over (at once when it is).
    func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
        let over = state.withLock { state -> Bool in
            if state.finished { return true }
            state.cleanup = cleanup
            return false
        }
        if over { cleanup() }
    }

    /// Resumes the caller with `result` unless the other task did first; true when this one won.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let (continuation, cleanup) = state.withLock { state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
            guard !state.finished else { return (nil, nil) }
            state.finished = true
            defer {
                state.continuation = nil
                state.cleanup = nil
            }
            return (state.continuation, state.cleanup)
        }
        guard let continuation else { return false }
        continuation.resume(with: result)
        cleanup?()
        return true
    }
}
