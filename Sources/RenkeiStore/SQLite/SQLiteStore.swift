public import Crypto
public import Foundation
import GRDB
import NIOPosix
public import RenkeiCore
import Synchronization

/// A node's durable store: one SQLite file (WAL) per node.
///
/// Writes go through one writer thread that commits whatever has queued up as a single
/// transaction (group commit) and only then resumes the callers, so an answer is sent only
/// after its records and audit entries are on disk, without an fsync per message. The
/// writer also keeps the audit log's hash chain and Merkle frontier and signs a checkpoint
/// every `checkpointEvery` entries or `checkpointInterval`.
public final class SQLiteStore: NodeStore {
    public enum Durability: String, Sendable, CaseIterable {
        /// fsync at every group commit: survives a power cut.
        case full
        /// Survives the process being killed, not a power cut; faster on slow disks.
        case normal
    }

    public struct Options: Sendable {
        public var durability: Durability = .full
        public var checkpointEvery = 1_000
        public var checkpointInterval: Duration = .seconds(5)
        /// How often the WAL is copied into the database in the background (see
        /// WALCheckpointer); nil leaves it to SQLite's automatic checkpoint on the writer.
        public var walCheckpointInterval: Duration? = .milliseconds(100)
        /// WAL pages at which the writer itself checkpoints: with the background checkpointer
        /// a backstop only (its default is 1,000; 10,000 keeps the writer out of it).
        public var walCheckpointPages = 10_000
        /// Space set aside beside the database (a file of zeros) and given up when the disk is
        /// full, so that what the node has seen is still recorded; then the node refuses new
        /// exchanges with STORE_FULL.
        public var reserveBytes = 4 << 20
        /// A cap on the database's pages (SQLite's max_page_count), below which the reserve is
        /// kept: a full disk without filling one, for tests and for operators who want a quota.
        public var maximumPages: Int?
        public init() {}
    }

    private struct Job {
        let writes: [StoreWrite]
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct Queue {
        var jobs: [Job] = []
        var draining = false
        var closed = false
    }

    public let node: String
    public let url: URL
    private let pool: DatabasePool
    private let writer: NIOThreadPool
    let checkpointer: WALCheckpointer?
    private let queue = Mutex(Queue())
    private let observer = Mutex<(any StoreObserver)?>(nil)
    /// Whether the reserve was given up: the disk (or the page cap) is full.
    private let reserveReleased = Mutex(false)
    public var isOnReserve: Bool { reserveReleased.withLock { $0 } }
    var reserveURL: URL { URL(fileURLWithPath: url.path + "-reserve") }
    private let head: Mutex<AuditHead>
    private let signingKey: P256.Signing.PrivateKey
    private let options: Options
    private let clock: SimulationClock
    public let signedCheckpoints: AsyncStream<AuditCheckpoint>
    private let checkpointContinuation: AsyncStream<AuditCheckpoint>.Continuation
    public var keepsSignedLog: Bool { true }

    /// Opens (or creates) the store of `node` at `url`.
    public init(
        url: URL, node: String, signingKey: P256.Signing.PrivateKey, options: Options = Options(), clock: SimulationClock = SimulationClock()
    ) throws(RenkeiError) {
        self.node = node
        self.url = url
        self.signingKey = signingKey
        self.options = options
        self.clock = clock
        // The witness stamps the newest; an older checkpoint it has not taken yet is covered by it.
        (signedCheckpoints, checkpointContinuation) = AsyncStream.makeStream(of: AuditCheckpoint.self, bufferingPolicy: .bufferingNewest(2))
        do {
            try Self.makePrivate(url)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let synchronous = options.durability == .full ? "FULL" : "NORMAL"
            let checkpointPages = max(100, options.walCheckpointPages)
            configuration.prepareDatabase { db in
                // The writer's own checkpoint is the backstop behind the WALCheckpointer; the
                // WAL file is cut back after each checkpoint.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(checkpointPages)")
                try db.execute(sql: "PRAGMA journal_size_limit = \(checkpointPages * 4096 * 2)")
            }
            pool = try DatabasePool(path: url.path, configuration: configuration)
            // On the writer, after the pool is open: opening it turns WAL on and sets
            // synchronous = NORMAL after prepareDatabase has run, which would silently drop
            // FULL's fsync per commit. Readers never commit, so only the writer needs it.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous)") }
            if let maximumPages = options.maximumPages {
                let reservePages = max(1, options.reserveBytes / 4096)
                try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = \(max(1, maximumPages - reservePages))") }
            }
            try Self.checkIntegrity(pool, node: node, url: url)
            // Rows from before v6 enter the chain once, when the migration to v6 runs (not a
            // scan of every table at every start).
            let migrated = try pool.read { db in try Schema.migrator.appliedIdentifiers(db) }
            let adopting = !migrated.isEmpty && !migrated.contains(where: { $0.hasPrefix("v6") })
            try Schema.migrator.migrate(pool)
            var loaded = try pool.read { db in try Self.loadHead(db, node: node) }
            if adopting { try Self.adoptUnchainedRows(pool, head: &loaded, clock: clock) }
            head = Mutex(loaded)
            checkpointer = try options.walCheckpointInterval.map { interval in try WALCheckpointer(path: url.path, interval: interval) }
            Self.makeReserve(at: URL(fileURLWithPath: url.path + "-reserve"), bytes: options.reserveBytes)
        } catch let error as RenkeiError {
            throw error
        } catch {
            throw RenkeiError(.internalError, "cannot open the store of \(node) at \(url.path): \(StoreFailure.describe(error))")
        }
        writer = NIOThreadPool(numberOfThreads: 1)
        writer.start()
    }

    /// The store holds 個人番号 and 符号: its folder is 0700 and its files 0600 from the first
    /// byte. The database file is made here with that mode (SQLite would make it 0644 less the
    /// umask, and its -wal and -shm files copy the database's mode); files of an older run are
    /// narrowed too.
    private static func makePrivate(_ url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        _ = chmod(folder.path, 0o700)
        let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw RenkeiError(.internalError, "cannot create \(url.path): \(String(cString: strerror(errno)))")
        }
        try FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).close()
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: url.path + suffix) {
            guard chmod(url.path + suffix, 0o600) == 0 else {
                throw RenkeiError(.internalError, "cannot make \(url.path + suffix) private (mode 0600): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// SQLite's own check of the file's structure (pages, b-trees, indexes; not the content's
    /// meaning), so that a damaged file is named at start instead of failing at some later read.
    private static func checkIntegrity(_ pool: DatabasePool, node: String, url: URL) throws {
        let findings = try pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(3)") }
        guard findings == ["ok"] else {
            throw RenkeiError(
                .storeDamaged,
                "the store of \(node) at \(url.path) is damaged (SQLite: \(findings.joined(separator: "; ").excerpt(300))). Restore it from a copy, or move it away and run `renkei seed` to start afresh"
            )
        }
    }

    /// The audit head after the last stored entry: the newest checkpoint's frontier, then
    /// every entry after it (at most a checkpoint interval's worth).
    private static func loadHead(_ db: Database, node: String) throws -> AuditHead {
        let checkpoint = try Row.fetchOne(db, sql: "SELECT size, at, frontier FROM audit_checkpoints ORDER BY size DESC LIMIT 1")
        let checkpointedSize: Int = checkpoint?["size"] ?? 0
        let checkpointedAt: Int64 = checkpoint?["at"] ?? 0
        var frontier = MerkleTree.Frontier()
        // A checkpoint written before v3 has no frontier: then the whole log is read once.
        if let bytes: Data = checkpoint?["frontier"] {
            guard let stored = MerkleTree.Frontier(serialized: Array(bytes)), stored.size == checkpointedSize else {
                throw RenkeiError(.storeDamaged, "the audit checkpoint at \(checkpointedSize) of \(node) is damaged; run renkei audit verify")
            }
            frontier = stored
        }
        var chain = AuditEntry.genesis
        if frontier.size > 0, let previous = try Data.fetchOne(db, sql: "SELECT chain FROM audit WHERE seq = ?", arguments: [frontier.size - 1]) {
            chain = Array(previous)
        }
        let rows = try Row.fetchCursor(db, sql: "SELECT seq, leaf, chain FROM audit WHERE seq >= ? ORDER BY seq", arguments: [frontier.size])
        while let row = try rows.next() {
            guard row[0] as Int? == frontier.size else {
                throw RenkeiError(.storeDamaged, "the audit log of \(node) has a gap at \(frontier.size); run renkei audit verify")
            }
            guard let leaf = (row[1] as DatabaseValue?).flatMap(Data.fromDatabaseValue), leaf.count == 32,
                let next = (row[2] as DatabaseValue?).flatMap(Data.fromDatabaseValue), next.count == 32
            else {
                throw RenkeiError(.storeDamaged, "the audit entry \(frontier.size) of \(node) is damaged; run renkei audit verify")
            }
            frontier.append(Array(leaf))
            chain = Array(next)
        }
        return AuditHead(size: frontier.size, chain: chain, frontier: frontier, checkpointedSize: checkpointedSize, checkpointedAt: checkpointedAt)
    }

    /// Rows written before v6 carry no audit entry: each enters the log once, by its digest as
    /// it is now, so that from here on an edit, deletion or insertion shows. (What happened to
    /// them before this cannot be known; the entries say they were adopted.)
    private static func adoptUnchainedRows(_ pool: DatabasePool, head: inout AuditHead, clock: SimulationClock) throws {
        let tables: [(table: String, key: [String], columns: [String], kind: AuditEvent.Kind, fields: (Row) -> [(String, String)])] = [
            ("records", ["id"], RowDigest.recordColumns, .recordWritten, { row in [("requested_at", "\(row["requested_at"] as Int64? ?? 0)")] }),
            (
                "used_permits", ["permit_id"], RowDigest.permitColumns, .permitUsed,
                { row in [("expires_at", "\(row["expires_at"] as Int64? ?? 0)")] }
            ),
            (
                "staff", ["tenant", "user_id"], RowDigest.staffColumns, .staffWritten,
                { row in [("tenant", row["tenant"] as String? ?? ""), ("user", row["user_id"] as String? ?? "")] }
            ),
        ]
        try pool.write { db in
            for (table, key, columns, kind, fields) in tables {
                let selected = Array(Set(key + columns))
                let rows = try Row.fetchAll(db, sql: "SELECT \(selected.joined(separator: ", ")) FROM \(table) WHERE audit_seq IS NULL")
                guard !rows.isEmpty else { continue }
                try db.execute(sql: "INSERT OR IGNORE INTO append_only_release (id) VALUES (1)")
                for row in rows {
                    let values = columns.map { row[$0] as DatabaseValue }
                    let detail = RowEntryDetail.make(fields(row) + [("adopted", "true")], digest: RowDigest.of(values))
                    let sequence = head.size
                    try append(AuditEvent(kind: kind, at: clock.nowMicros(), actor: nil, detail: detail), db: db, head: &head)
                    try db.execute(
                        sql: "UPDATE \(table) SET audit_seq = ? WHERE \(key.map { "\($0) = ?" }.joined(separator: " AND "))",
                        arguments: StatementArguments(converted: [sequence.databaseValue] + key.map { row[$0] as DatabaseValue }))
                }
                try db.execute(sql: "DELETE FROM append_only_release")
            }
        }
    }

    // MARK: the reserve

    /// A file of zeros that holds space for the records of a full disk; made when missing (a
    /// disk too full to hold it is already on its reserve).
    private static func makeReserve(at url: URL, bytes: Int) {
        guard bytes > 0, !FileManager.default.fileExists(atPath: url.path) else { return }
        _ = FileManager.default.createFile(atPath: url.path, contents: Data(count: bytes), attributes: [.posixPermissions: 0o600])
    }

    static func isFull(_ error: any Error) -> Bool {
        (error as? DatabaseError)?.resultCode == .SQLITE_FULL
    }

    /// Frees the reserve: deletes the file, lifts the page cap to the whole quota.
    private func releaseReserve() {
        let first = reserveReleased.withLock { released in
            defer { released = true }
            return !released
        }
        guard first else { return }
        try? FileManager.default.removeItem(at: reserveURL)
        if let maximumPages = options.maximumPages {
            try? pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = \(maximumPages)") }
        }
    }

    private func failure(_ error: any Error) -> RenkeiError {
        if Self.isFull(error) {
            return RenkeiError(
                .storeFull,
                "the disk of \(node) is full, its reserve too (\(url.path)); free space there and restart it. Nothing it acknowledged was lost")
        }
        if let error = error as? RenkeiError { return error }
        return RenkeiError(.internalError, "the store of \(node) refused a write: \(StoreFailure.describe(error))")
    }

    // MARK: writing

    public func commit(_ writes: [StoreWrite]) async throws(RenkeiError) {
        guard !writes.isEmpty else { return }
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let start = queue.withLock { queue -> Bool? in
                    guard !queue.closed else { return nil }
                    queue.jobs.append(Job(writes: writes, continuation: continuation))
                    guard !queue.draining else { return false }
                    queue.draining = true
                    return true
                }
                switch start {
                case nil: continuation.resume(throwing: RenkeiError(.unavailable, "the store of \(node) is closed"))
                case true?: writer.submit { [self] _ in drain() }
                case false?: break
                }
            }
        } catch let error as RenkeiError {
            throw error
        } catch {
            throw RenkeiError(.internalError, "the store of \(node) could not commit: \(StoreFailure.describe(error))")
        }
    }

    public func observe(_ observer: any StoreObserver) { self.observer.withLock { $0 = observer } }

    /// Runs on the writer thread: commits every queued job, group by group, until none is left.
    private func drain() {
        while true {
            let jobs = queue.withLock { queue -> [Job] in
                guard !queue.jobs.isEmpty else {
                    queue.draining = false
                    return []
                }
                defer { queue.jobs.removeAll(keepingCapacity: true) }
                return queue.jobs
            }
            guard !jobs.isEmpty else { return }
            let observer = observer.withLock { $0 }
            do {
                let writes = jobs.flatMap(\.writes)
                let started = ContinuousClock.now
                try write(writes)
                if let observer {
                    observer.groupCommitted(commits: jobs.count, writes: writes.count, duration: ContinuousClock.now - started)
                    for job in jobs { observer.committed(job.writes) }
                }
                for job in jobs { job.continuation.resume() }
            } catch {
                // A full disk: give up the reserve once, so what was seen is still recorded.
                if Self.isFull(error) { releaseReserve() }
                // One job's bad write must not fail the others: retry each on its own.
                for job in jobs {
                    do {
                        let started = ContinuousClock.now
                        try write(job.writes)
                        observer?.groupCommitted(commits: 1, writes: job.writes.count, duration: ContinuousClock.now - started)
                        observer?.committed(job.writes)
                        job.continuation.resume()
                    } catch {
                        job.continuation.resume(throwing: failure(error))
                    }
                }
            }
        }
    }

    /// One transaction: the writes, the audit entries they carry and, when due, a checkpoint.
    private func write(_ writes: [StoreWrite]) throws {
        var auditHead = head.withLock { $0 }
        let signed = try pool.write { db -> AuditCheckpoint? in
            for write in writes {
                try apply(write, db: db, head: &auditHead)
            }
            let now = clock.nowMicros()
            let due =
                auditHead.size - auditHead.checkpointedSize >= options.checkpointEvery
                || (auditHead.size > auditHead.checkpointedSize && now - auditHead.checkpointedAt >= options.checkpointInterval.microsecondsValue)
            return due ? try checkpoint(db: db, head: &auditHead, at: now) : nil
        }
        head.withLock { $0 = auditHead }
        if let signed { checkpointContinuation.yield(signed) }
    }

    @discardableResult
    private func checkpoint(db: Database, head: inout AuditHead, at now: Int64) throws -> AuditCheckpoint {
        let checkpoint = try AuditCheckpoint.make(node: node, size: head.size, root: head.frontier.root, chain: head.chain, at: now, key: signingKey)
        try db.execute(
            sql: "INSERT OR REPLACE INTO audit_checkpoints (size, root, chain, at, signature, frontier) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [
                checkpoint.size, Data(checkpoint.root), Data(checkpoint.chain), checkpoint.at, Data(checkpoint.signature),
                Data(head.frontier.serialized),
            ]
        )
        head.checkpointedSize = head.size
        head.checkpointedAt = now
        return checkpoint
    }

    private func apply(_ write: StoreWrite, db: Database, head: inout AuditHead) throws {
        switch write {
        case let .linkCode(tenant, person, linkCode):
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO link_codes (tenant, person, link_code) VALUES (?, ?, ?)")
                .execute(arguments: [tenant, person, linkCode])
        case let .acquisitionStarted(tenant, number, person):
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO acquisitions (processing_number, tenant, person) VALUES (?, ?, ?)")
                .execute(arguments: [number, tenant, person])
        case let .acquisitionFinished(_, number):
            try db.cachedStatement(sql: "DELETE FROM acquisitions WHERE processing_number = ?").execute(arguments: [number])
        case let .duplicate(tenant, person, record):
            try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO duplicates (tenant, person, information_code, data_set, record_key, version, publication_date, end_date, items)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                tenant, person, record.informationCode, record.dataSet, record.recordKey, record.version,
                record.publicationDate?.description, record.endDate?.description, DuplicateItemsCoding.encode(record.items),
            ])
        case let .duplicateDeleted(tenant, person, code, dataSet, recordKey):
            try db.cachedStatement(
                sql: "DELETE FROM duplicates WHERE tenant = ? AND person = ? AND information_code = ? AND data_set = ? AND record_key = ?"
            )
            .execute(arguments: [tenant, person, code, dataSet, recordKey])
        case let .tenantAddressee(tenant, number, person):
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO tenant_addressees (tenant, address_number, person) VALUES (?, ?, ?)")
                .execute(arguments: [tenant, number, person])
        case let .permitUsed(tenant, id, expiresAt):
            let values = [Data(id).databaseValue, tenant.databaseValue, expiresAt.databaseValue]
            let digest = RowDigest.of(values)
            let sequence = try appendEntry(
                .permitUsed, actor: nil, RowEntryDetail.make([("expires_at", "\(expiresAt)")], digest: digest), db: db, head: &head)
            try db.cachedStatement(sql: "INSERT INTO used_permits (permit_id, tenant, expires_at, audit_seq) VALUES (?, ?, ?, ?)")
                .execute(arguments: StatementArguments(converted: values + [sequence.databaseValue]))
        case let .addressee(addressee):
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO addressees (address_number, integrated, my_number, name) VALUES (?, ?, ?, ?)")
                .execute(arguments: [addressee.addressNumber, addressee.integratedAddressNumber, addressee.myNumber, addressee.name])
        case let .resident(myNumber, residentCode):
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO residents (my_number, resident_code) VALUES (?, ?)")
                .execute(arguments: [myNumber, residentCode])
        case let .processingNumberIssued(number, organization):
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO processing_numbers (number, organization) VALUES (?, ?)")
                .execute(arguments: [number, organization])
        case let .manualExchange(exchange):
            let payload: Data
            do { payload = try JSONEncoder().encode(exchange) } catch {
                throw RenkeiError(.internalError, "manual exchange \(exchange.reception) does not encode: \(error)")
            }
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO manual_exchanges (reception_number, payload) VALUES (?, ?)")
                .execute(arguments: [exchange.reception, payload])
        case let .manualAnswerPending(tenant, reception, payload):
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO manual_outbox (tenant, reception_number, payload) VALUES (?, ?, ?)")
                .execute(arguments: [tenant, reception, Data(payload)])
        case let .manualAnswerSent(tenant, reception):
            try db.cachedStatement(sql: "DELETE FROM manual_outbox WHERE tenant = ? AND reception_number = ?").execute(arguments: [tenant, reception])
        case let .processingNumberUsed(number):
            try db.cachedStatement(sql: "DELETE FROM processing_numbers WHERE number = ?").execute(arguments: [number])
        case let .record(record):
            // Each record enters the audit log by its digest; the row names its entry.
            let values = RowDigest.recordValues(record)
            let digest = RowDigest.of(values)
            let sequence = try appendEntry(
                .recordWritten, actor: nil, RowEntryDetail.make([("requested_at", "\(record.requestedAt)")], digest: digest), db: db, head: &head)
            try db.cachedStatement(sql: Self.insertRecordSQL).execute(arguments: StatementArguments(converted: values + [sequence.databaseValue]))
        case let .recordsPurged(before):
            try appendEntry(.rowsRemoved, actor: nil, "records requested_before=\(before)", db: db, head: &head)
            try released(db) { try db.cachedStatement(sql: "DELETE FROM records WHERE requested_at < ?").execute(arguments: [before]) }
        case let .inquiryState(tenant, reception, status, payload, updatedAt):
            try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO inquiries (tenant, reception_number, status, payload, updated_at) VALUES (?, ?, ?, ?, ?)"
            )
            .execute(arguments: [tenant, reception, status, Data(payload), updatedAt])
        case let .manualQueued(tenant, reception, payload, deadline):
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO manual_queue (tenant, reception_number, payload, deadline) VALUES (?, ?, ?, ?)")
                .execute(arguments: [tenant, reception, Data(payload), deadline])
        case let .manualResolved(tenant, reception):
            try db.cachedStatement(sql: "DELETE FROM manual_queue WHERE tenant = ? AND reception_number = ?").execute(arguments: [tenant, reception])
        case let .flag(tenant, person, information, kind, enabled):
            let arguments: StatementArguments = [tenant, person?.rawValue ?? "", information?.rawValue ?? "", kind]
            if enabled {
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO flags (tenant, person, information_code, kind) VALUES (?, ?, ?, ?)").execute(
                    arguments: arguments)
            } else {
                try db.cachedStatement(sql: "DELETE FROM flags WHERE tenant = ? AND person = ? AND information_code = ? AND kind = ?").execute(
                    arguments: arguments)
            }
        case .stateReset:
            try appendEntry(.rowsRemoved, actor: nil, "all records and used_permits (reset)", db: db, head: &head)
            try released(db) {
                for table in [
                    "link_codes", "acquisitions", "duplicates", "tenant_addressees", "used_permits", "addressees", "residents",
                    "processing_numbers", "records", "inquiries", "manual_queue", "flags", "manual_exchanges", "manual_outbox",
                ] {
                    try db.execute(sql: "DELETE FROM \(table)")
                }
            }
        case let .staff(tenant, account), let .staffSeeded(tenant, account):
            let payload: Data
            do { payload = try JSONEncoder().encode(account) } catch {
                throw RenkeiError(.internalError, "staff account \(account.userID) does not encode: \(error)")
            }
            if case .staffSeeded = write,
                try Bool.fetchOne(db, sql: "SELECT 1 FROM staff WHERE tenant = ? AND user_id = ?", arguments: [tenant, account.userID]) == true
            {
                return
            }
            let values = [tenant.databaseValue, account.userID.databaseValue, payload.databaseValue]
            let digest = RowDigest.of(values)
            let sequence = try appendEntry(
                .staffWritten, actor: nil, RowEntryDetail.make([("tenant", tenant.rawValue), ("user", account.userID)], digest: digest), db: db,
                head: &head)
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO staff (tenant, user_id, payload, audit_seq) VALUES (?, ?, ?, ?)")
                .execute(arguments: StatementArguments(converted: values + [sequence.databaseValue]))
        case let .usedPermitsPruned(before):
            try appendEntry(.rowsRemoved, actor: nil, "used_permits expires_before=\(before)", db: db, head: &head)
            try released(db) { try db.cachedStatement(sql: "DELETE FROM used_permits WHERE expires_at < ?").execute(arguments: [before]) }
        case let .audit(event):
            try Self.append(event, db: db, head: &head)
        case let .checkpointStamped(witnessed):
            try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO audit_stamps (size, serial, checkpoint_at, stamped_at, response) VALUES (?, ?, ?, ?, ?)"
            ).execute(arguments: [
                witnessed.checkpoint.size, Int64(bitPattern: witnessed.serial), witnessed.checkpoint.at, witnessed.stampedAt,
                Data(witnessed.response),
            ])
        case let .stamp(witnessed):
            let checkpoint = witnessed.checkpoint
            try db.cachedStatement(
                sql: """
                    INSERT INTO stamps (serial, node, size, root, chain, checkpoint_at, signature, stamped_at, response)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                Int64(bitPattern: witnessed.serial), checkpoint.node, checkpoint.size, Data(checkpoint.root), Data(checkpoint.chain),
                checkpoint.at, Data(checkpoint.signature), witnessed.stampedAt, Data(witnessed.response),
            ])
            try appendEntry(
                .stamped, actor: checkpoint.node,
                "node=\(checkpoint.node) size=\(checkpoint.size) serial=\(witnessed.serial) root=\(hex(checkpoint.root))", db: db, head: &head)
        }
    }

    static let insertRecordSQL =
        "INSERT INTO records (\(RowDigest.recordColumns.joined(separator: ", ")), audit_seq) VALUES (\(Array(repeating: "?", count: RowDigest.recordColumns.count + 1).joined(separator: ", ")))"

    /// Appends `event` to the log: its leaf hash, the chain, the frontier.
    private static func append(_ event: AuditEvent, db: Database, head: inout AuditHead) throws {
        let sequence = head.size
        let leaf = MerkleTree.leafHash(AuditEntry.canonicalBytes(sequence: sequence, event: event))
        let chain = AuditEntry.chain(previous: head.chain, leaf: leaf)
        try db.cachedStatement(sql: "INSERT INTO audit (seq, at, kind, actor, detail, leaf, chain) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [sequence, event.at, event.kind.rawValue, event.actor, event.detail, Data(leaf), Data(chain)])
        head.size += 1
        head.chain = chain
        head.frontier.append(leaf)
    }

    /// Appends an entry the store writes itself (a row's digest, a removal); returns its position.
    @discardableResult
    private func appendEntry(_ kind: AuditEvent.Kind, actor: String?, _ detail: String, db: Database, head: inout AuditHead) throws -> Int {
        let sequence = head.size
        try Self.append(AuditEvent(kind: kind, at: clock.nowMicros(), actor: actor, detail: detail), db: db, head: &head)
        return sequence
    }

    /// Runs `body` with the append-only triggers released, inside the writer's transaction.
    private func released(_ db: Database, _ body: () throws -> Void) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO append_only_release (id) VALUES (1)")
        try body()
        try db.execute(sql: "DELETE FROM append_only_release")
    }

    // MARK: reading

    public func loadState() async throws(RenkeiError) -> StoredState {
        try await read { db in try StateLoader.load(db) }
    }

    public func records(_ query: RecordQuery) async throws(RenkeiError) -> [ProvisionRecord] {
        try await read { db in try RecordReader.fetch(query, db: db) }
    }

    public func countRecords(_ query: RecordQuery) async throws(RenkeiError) -> Int {
        try await read { db in try RecordReader.count(query, db: db) }
    }

    public func countRecords(requestedBefore micros: Int64) async throws(RenkeiError) -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records WHERE requested_at < ?", arguments: [micros]) ?? 0 }
    }

    public func inquiryPayload(tenant: OrganizationCode, reception: ReceptionNumber) async throws(RenkeiError) -> [UInt8]? {
        try await read { db in
            try Data.fetchOne(db, sql: "SELECT payload FROM inquiries WHERE tenant = ? AND reception_number = ?", arguments: [tenant, reception])
                .map(Array.init)
        }
    }

    /// The durability the writer connection really runs with, read back from SQLite: what
    /// `Options.durability` asked for is only a request until the writer has applied it.
    public func durabilityInEffect() async throws(RenkeiError) -> Durability {
        let level: Int?
        do { level = try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } } catch {
            throw RenkeiError(.internalError, "cannot read the durability of the store of \(node): \(StoreFailure.describe(error))")
        }
        // SQLite's levels: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA; FULL and EXTRA both fsync every commit.
        return (level ?? 0) >= 2 ? .full : .normal
    }

    /// The pages the database file holds now (SQLite's page_count).
    public func pagesInUse() async throws(RenkeiError) -> Int {
        try await read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
    }

    /// The page cap the writer really runs with (SQLite's max_page_count), read back.
    public func pageCapInEffect() async throws(RenkeiError) -> Int {
        do { return try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA max_page_count") ?? 0 } } catch {
            throw RenkeiError(.internalError, "cannot read the page cap of the store of \(node): \(StoreFailure.describe(error))")
        }
    }

    public func auditEvents() async throws(RenkeiError) -> [AuditEvent] {
        try await read { db in try AuditReader.entries(db).map(\.event) }
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(RenkeiError) -> T {
        do {
            return try await pool.read(body)
        } catch let error as RenkeiError {
            throw error
        } catch {
            throw RenkeiError(.internalError, "cannot read the store of \(node): \(StoreFailure.describe(error))")
        }
    }

    public func checkpointNow() async throws(RenkeiError) -> AuditCheckpoint? {
        do {
            return try await writer.runIfActive { [self] () throws -> AuditCheckpoint? in
                // On the writer thread: nothing else writes meanwhile.
                var auditHead = head.withLock { $0 }
                if auditHead.size > auditHead.checkpointedSize {
                    try pool.write { db in try checkpoint(db: db, head: &auditHead, at: clock.nowMicros()) }
                    head.withLock { $0 = auditHead }
                }
                return try pool.read { db in try AuditReader.checkpoints(db).last }
            }
        } catch {
            throw RenkeiError(.internalError, "the store of \(node) could not sign a checkpoint: \(StoreFailure.describe(error))")
        }
    }

    public func auditState(at size: Int) async throws(RenkeiError) -> (root: [UInt8], chain: [UInt8])? {
        try await read { db in
            guard size > 0 else { return (MerkleTree.Frontier().root, AuditEntry.genesis) }
            var frontier = MerkleTree.Frontier()
            var chain = AuditEntry.genesis
            let rows = try Row.fetchCursor(db, sql: "SELECT seq, leaf, chain FROM audit WHERE seq < ? ORDER BY seq", arguments: [size])
            while let row = try rows.next() {
                guard row[0] as Int? == frontier.size, let leaf = row[1] as Data?, let next = row[2] as Data? else { return nil }
                frontier.append(Array(leaf))
                chain = Array(next)
            }
            return frontier.size == size ? (frontier.root, chain) : nil
        }
    }

    /// Signs a final checkpoint over everything written, then stops the writer.
    public func close() async {
        let alreadyClosed = queue.withLock { queue in
            defer { queue.closed = true }
            return queue.closed
        }
        guard !alreadyClosed else { return }
        try? await writer.runIfActive { [self] in
            // Wait for in-flight jobs: the writer is single-threaded, so running here means drained.
            var auditHead = head.withLock { $0 }
            guard auditHead.size > auditHead.checkpointedSize else { return }
            try pool.write { db in try checkpoint(db: db, head: &auditHead, at: clock.nowMicros()) }
            head.withLock { $0 = auditHead }
        }
        checkpointContinuation.finish()
        try? await writer.shutdownGracefully()
        await checkpointer?.stop()
        try? pool.close()
    }
}

extension Duration {
    var microsecondsValue: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
