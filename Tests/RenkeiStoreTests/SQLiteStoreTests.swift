import Crypto
import Foundation
import RenkeiCore
import RenkeiTestSupport
import Testing

@testable import RenkeiStore

@Suite("SQLite store", .timeLimit(.minutes(3)))
struct SQLiteStoreTests {
    let key = P256.Signing.PrivateKey()

    func open(_ url: URL, checkpointEvery: Int = 100) throws -> SQLiteStore {
        var options = SQLiteStore.Options()
        options.checkpointEvery = checkpointEvery
        return try SQLiteStore(url: url, node: "nws", signingKey: key, options: options)
    }

    @Test("the writer runs with the durability asked for (opening the pool must not drop FULL)", arguments: SQLiteStore.Durability.allCases)
    func durability(_ durability: SQLiteStore.Durability) async throws {
        var options = SQLiteStore.Options()
        options.durability = durability
        let store = try SQLiteStore(url: try scratchFile("durability-\(durability.rawValue).sqlite"), node: "nws", signingKey: key, options: options)
        #expect(try await store.durabilityInEffect() == durability)
        await store.close()
    }

    @Test("the WAL is copied into the database by the background checkpointer, not by the writer")
    func backgroundCheckpoint() async throws {
        var options = SQLiteStore.Options()
        options.walCheckpointInterval = .milliseconds(5)
        // Far above what this test writes: any checkpoint that happens is the background one.
        options.walCheckpointPages = 1_000_000
        let store = try SQLiteStore(url: try scratchFile("checkpointer.sqlite"), node: "nws", signingKey: key, options: options)
        let checkpointer = try #require(store.checkpointer)
        for index in 0..<50 { try await store.commit([.record(try record(index)), .audit(event(index))]) }
        var copied: WALCheckpointer.Pass?
        for await pass in checkpointer.passes where pass.walFrames > 0 && pass.checkpointed == pass.walFrames {
            copied = pass
            break
        }
        #expect((copied?.walFrames ?? 0) > 0)
        await store.close()
    }

    @Test("state survives a reopen; deletions and replacements are applied")
    func reopen() async throws {
        let url = try scratchFile("state.sqlite")
        let tenant = try OrganizationCode("0101213100000000")
        let person = try IntegratedAddressNumber("000000100000001")
        let record = DuplicateRecord(
            informationCode: try InformationCode("TM00000000000002"), dataSet: "0001", recordKey: "2025", version: 1,
            publicationDate: try CivilDate("2025-06-01"), endDate: nil,
            items: [.init(code: "K0001", value: "2025"), .init(code: "K0002", value: nil, reasonOfNull: "NotConvered")]
        )
        let store = try open(url)
        try await store.commit([
            .linkCode(tenant: tenant, person: person, linkCode: try LinkCode("abc")),
            .duplicate(tenant: tenant, person: person, record: record),
            .permitUsed(tenant: tenant, id: [1, 2, 3], expiresAt: SimulationClock().nowMicros() + 60_000_000),
            .processingNumberIssued(try ProcessingNumber("P1"), organization: tenant),
            .processingNumberIssued(try ProcessingNumber("P2"), organization: tenant),
            .processingNumberUsed(try ProcessingNumber("P1")),
        ])
        await store.close()

        let reopened = try open(url)
        let writes = try await reopened.loadState().writes
        #expect(writes.contains(.linkCode(tenant: tenant, person: person, linkCode: try LinkCode("abc"))))
        #expect(writes.contains(.duplicate(tenant: tenant, person: person, record: record)))
        #expect(writes.contains { if case .permitUsed(_, [1, 2, 3], _) = $0 { true } else { false } })
        #expect(writes.contains(.processingNumberIssued(try ProcessingNumber("P2"), organization: tenant)))
        #expect(!writes.contains(.processingNumberIssued(try ProcessingNumber("P1"), organization: tenant)))
        await reopened.close()
    }

    @Test("concurrent commits are all durable, and the audit log they make verifies")
    func groupCommit() async throws {
        let url = try scratchFile("group.sqlite")
        let store = try open(url, checkpointEvery: 500)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<2_000 {
                group.addTask { try await store.commit([.record(try record(index)), .audit(event(index))]) }
            }
            try await group.waitForAll()
        }
        #expect(try await store.records(RecordQuery(limit: 10_000)).count == 2_000)
        // Each record enters the log by its digest, beside the event committed with it.
        let events = try await store.auditEvents()
        #expect(events.count == 4_000)
        #expect(events.filter { $0.kind == .recordWritten }.count == 2_000)
        await store.close()

        let result = try StoreReader(url: url).verifyAudit(with: AuditVerifier(node: "nws", key: key.publicKey))
        let report = try result.get()
        #expect(report.entries == 4_000)
        #expect(report.records == 2_000)
        #expect(report.checkpoints >= 2, "a checkpoint once 500 entries have gathered, and one at close")
        #expect(try StoreReader(url: url).auditCheckpoints().last?.size == 4_000, "the checkpoint at close covers everything")
    }

    @Test("the audit head is rebuilt at open from the newest checkpoint and the entries after it", arguments: [false, true])
    func headFromCheckpoint(olderCheckpoints: Bool) async throws {
        let url = try scratchFile("head.sqlite")
        let store = try open(url, checkpointEvery: 100)
        for index in 0..<250 { try await store.commit([.audit(event(index))]) }
        await store.close()
        // As after a crash: the newest checkpoint (at close) is gone, so 50 entries follow the
        // last one. Checkpoints written before v3 carry no frontier at all.
        try tamper(url, "DELETE FROM audit_checkpoints WHERE size = 250;" + (olderCheckpoints ? "UPDATE audit_checkpoints SET frontier = NULL;" : ""))

        let reopened = try open(url, checkpointEvery: 100)
        for index in 250..<260 { try await reopened.commit([.audit(event(index))]) }
        await reopened.close()
        let report = try StoreReader(url: url).verifyAudit(with: AuditVerifier(node: "nws", key: key.publicKey)).get()
        #expect(report.entries == 260, "the reopened store went on from entry 250")
        #expect(try StoreReader(url: url).auditCheckpoints().last?.size == 260)
    }

    @Test("records are queried by 符号, reception number and time, and purged by age")
    func recordQueries() async throws {
        let store = try open(try scratchFile("records.sqlite"))
        try await store.commit((0..<50).map { .record(try record($0)) })
        #expect(try await store.records(RecordQuery(linkCodes: [try LinkCode("code3")])).count == 7)
        #expect(try await store.records(RecordQuery(receptionNumber: try ReceptionNumber("R42"))).first?.providedAt == 1_700_000_000_000_052)
        #expect(try await store.records(RecordQuery(since: 1_700_000_000_000_040)).count == 10)
        #expect(try await store.records(RecordQuery(limit: 5)).map(\.receptionNumber.rawValue) == ["R49", "R48", "R47", "R46", "R45"])
        #expect(try await store.countRecords(requestedBefore: 1_700_000_000_000_020) == 20)
        try await store.commit([.recordsPurged(requestedBefore: 1_700_000_000_000_020)])
        #expect(try await store.records(RecordQuery(limit: 100)).count == 30)
        await store.close()
    }

    @Test("the audit table refuses updates and deletes")
    func appendOnly() async throws {
        let url = try scratchFile("append.sqlite")
        let store = try open(url)
        try await store.commit([.audit(event(0))])
        await store.close()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try requireTool("python3"))
        process.arguments = [
            "-c", "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute(\"UPDATE audit SET detail='x'\"); db.commit()", url.path,
        ]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0, "the trigger aborts the update")
        #expect(message.contains("the audit log is append-only"), "the refusal is the trigger's, not a missing tool's: \(message)")
    }
}

@Suite("Tamper evidence", .timeLimit(.minutes(3)))
struct TamperTests {
    let key = P256.Signing.PrivateKey()

    /// A log of 40 entries with signed checkpoints at 10, 20, 30 and 40.
    func log() async throws -> URL {
        let url = try scratchFile("audit.sqlite")
        var options = SQLiteStore.Options()
        options.checkpointEvery = 10
        let store = try SQLiteStore(url: url, node: "nws", signingKey: key, options: options)
        for index in 0..<40 { try await store.commit([.audit(event(index))]) }
        await store.close()
        return url
    }

    func verify(_ url: URL) throws -> Result<AuditVerifier.Report, AuditVerifier.Failure> {
        try StoreReader(url: url).verifyAudit(with: AuditVerifier(node: "nws", key: key.publicKey))
    }

    @Test("an untouched log verifies")
    func untouched() async throws {
        #expect(try verify(try await log()).get().entries == 40)
    }

    @Test("one changed byte is found at its entry")
    func changedByte() async throws {
        let url = try await log()
        try tamper(url, "UPDATE audit SET detail = 'R17 providee' WHERE seq = 17;")
        #expect(throws: AuditVerifier.Failure.self) { try verify(url).get() }
        guard case let .failure(failure) = try verify(url) else { return }
        #expect(failure.entry == 17)
    }

    @Test("a deleted entry is found where it is missing")
    func deleted() async throws {
        let url = try await log()
        try tamper(url, "DELETE FROM audit WHERE seq = 23;")
        guard case let .failure(failure) = try verify(url) else {
            Issue.record("a deleted entry verified")
            return
        }
        #expect(failure.entry == 23)
        #expect(failure.reason.contains("missing"))
    }

    @Test("two swapped entries are found at the first of them")
    func swapped() async throws {
        let url = try await log()
        try tamper(
            url,
            """
            UPDATE audit SET seq = -1 WHERE seq = 5;
            UPDATE audit SET seq = 5 WHERE seq = 6;
            UPDATE audit SET seq = 6 WHERE seq = -1;
            """)
        guard case let .failure(failure) = try verify(url) else {
            Issue.record("swapped entries verified")
            return
        }
        #expect(failure.entry == 5)
    }

    @Test("a rewritten tail with recomputed hashes fails at the signed checkpoint")
    func rewrittenWithHashes() async throws {
        let url = try await log()
        // Recompute entry 33's leaf and the chain after it, as an attacker without the key could.
        let entries = try StoreReader(url: url).auditEntries()
        var chain = entries[32].chain
        var statements = [String]()
        for entry in entries[33...] {
            let changed = AuditEvent(
                kind: entry.event.kind, at: entry.event.at, actor: entry.event.actor,
                detail: entry.sequence == 33 ? "R33 denied" : entry.event.detail)
            let leaf = MerkleTree.leafHash(AuditEntry.canonicalBytes(sequence: entry.sequence, event: changed))
            chain = AuditEntry.chain(previous: chain, leaf: leaf)
            statements.append(
                "UPDATE audit SET detail = '\(changed.detail)', leaf = x'\(hex(leaf))', chain = x'\(hex(chain))' WHERE seq = \(entry.sequence);")
        }
        try tamper(url, statements.joined())
        guard case let .failure(failure) = try verify(url) else {
            Issue.record("a rewritten log verified")
            return
        }
        // Found at the first signed checkpoint after the rewritten entry.
        let covering = try #require(try StoreReader(url: url).auditCheckpoints().first { $0.size > 33 })
        #expect(failure.entry == covering.size - 1)
        #expect(failure.reason.contains("signed checkpoint"))
    }

    @Test("entries removed from the end are found by the checkpoint that covered them")
    func truncated() async throws {
        let url = try await log()
        try tamper(url, "DELETE FROM audit WHERE seq >= 35;")
        guard case let .failure(failure) = try verify(url) else {
            Issue.record("a truncated log verified")
            return
        }
        #expect(failure.entry == 35)
    }

    @Test("a checkpoint signed by another key is refused")
    func foreignSignature() async throws {
        let url = try await log()
        let result = try StoreReader(url: url).verifyAudit(with: AuditVerifier(node: "nws", key: P256.Signing.PrivateKey().publicKey))
        guard case let .failure(failure) = result else {
            Issue.record("a foreign signature verified")
            return
        }
        #expect(failure.reason.contains("not signed"))
    }
}

@Suite("Merkle tree", .timeLimit(.minutes(3)))
struct MerkleTreeTests {
    @Test("every leaf of trees of 1 to 40 leaves has a proof that verifies, and only against its own root")
    func inclusion() {
        for size in 1...40 {
            let leaves = (0..<size).map { MerkleTree.leafHash(Array("leaf \($0)".utf8)) }
            var frontier = MerkleTree.Frontier()
            leaves.forEach { frontier.append($0) }
            let root = MerkleTree.root(leaves[...])
            #expect(frontier.root == root)
            #expect(MerkleTree.Frontier(serialized: frontier.serialized) == frontier)
            for index in 0..<size {
                let proof = MerkleTree.inclusionProof(index: index, leaves: leaves[...])
                #expect(MerkleTree.verifyInclusion(leaf: leaves[index], index: index, size: size, proof: proof, root: root))
                #expect(!MerkleTree.verifyInclusion(leaf: MerkleTree.leafHash([1]), index: index, size: size, proof: proof, root: root))
            }
        }
    }

    @Test("the root matches RFC 6962's definition for an unbalanced tree")
    func unbalancedRoot() {
        let leaves = (0..<3).map { MerkleTree.leafHash([UInt8($0)]) }
        let expected = MerkleTree.nodeHash(MerkleTree.nodeHash(leaves[0], leaves[1]), leaves[2])
        #expect(MerkleTree.root(leaves[...]) == expected)
    }
}

@Suite("A full disk", .timeLimit(.minutes(3)))
struct FullDiskTests {
    let key = P256.Signing.PrivateKey()

    @Test(
        "when the disk fills, the store gives up its reserve so what was seen is still recorded, says it is on its reserve, and refuses past that with STORE_FULL, never INTERNAL; everything acknowledged is there and the log verifies"
    )
    func reserve() async throws {
        let url = try scratchFile("full.sqlite")
        var options = SQLiteStore.Options()
        options.maximumPages = 96
        options.reserveBytes = 32 * 4096
        options.walCheckpointInterval = nil
        let store = try SQLiteStore(url: url, node: "nws", signingKey: key, options: options)
        #expect(try await store.pageCapInEffect() == 64, "the cap below the reserve took effect")
        #expect(FileManager.default.fileExists(atPath: url.path + "-reserve"))
        var acknowledged = 0
        var acknowledgedOnReserve = 0
        var refusal: RenkeiError?
        for index in 0..<20_000 {
            let written = try record(index)
            do throws(RenkeiError) {
                try await store.commit([.record(written), .audit(event(index))])
                acknowledged += 1
                if store.isOnReserve { acknowledgedOnReserve += 1 }
            } catch {
                refusal = error
                break
            }
        }
        #expect(acknowledgedOnReserve > 0, "records went on into the reserve")
        #expect(refusal?.code == .storeFull, "\(String(describing: refusal))")
        #expect(try await store.pageCapInEffect() == 96)
        #expect(!FileManager.default.fileExists(atPath: url.path + "-reserve"))
        #expect(try await store.countRecords(RecordQuery(testMode: nil)) == acknowledged)
        await store.close()
        let report = try StoreReader(url: url).verifyAudit(with: AuditVerifier(node: "nws", key: key.publicKey)).get()
        #expect(report.records == acknowledged)
    }
}

@Suite("A store from before the chain held its rows", .timeLimit(.minutes(3)))
struct ChainAdoptionTests {
    let key = P256.Signing.PrivateKey()

    @Test("opening a v5 store adopts its records and used permits into the chain once: then they verify, and an edit of one shows")
    func adoption() async throws {
        let url = try scratchFile("v5.sqlite")
        let store = try SQLiteStore(url: url, node: "nws", signingKey: key)
        try await store.commit(
            (0..<5).map { .record(try record($0)) } + [.permitUsed(tenant: try OrganizationCode("0101100200000000"), id: [9, 9], expiresAt: 1)])
        await store.close()
        // As a v5 file: no audit_seq columns, no v6/v7 tables, the rows' entries not in the log.
        try tamper(
            url,
            """
            ALTER TABLE records DROP COLUMN audit_seq; ALTER TABLE used_permits DROP COLUMN audit_seq; ALTER TABLE staff DROP COLUMN audit_seq;
            DROP TABLE append_only_release; DROP TABLE audit_stamps; DROP TABLE stamps; DROP TABLE manual_exchanges; DROP TABLE manual_outbox;
            DELETE FROM grdb_migrations WHERE identifier LIKE 'v6%' OR identifier LIKE 'v7%';
            DELETE FROM audit; DELETE FROM audit_checkpoints;
            """)
        let reopened = try SQLiteStore(url: url, node: "nws", signingKey: key)
        let events = try await reopened.auditEvents()
        #expect(events.filter { $0.kind == .recordWritten && $0.detail.contains("adopted=true") }.count == 5)
        #expect(events.filter { $0.kind == .permitUsed }.count == 1)
        await reopened.close()
        let report = try StoreReader(url: url).verifyAudit(with: AuditVerifier(node: "nws", key: key.publicKey)).get()
        #expect(report.records == 5 && report.permits == 1)
        // Opened again: nothing is adopted twice.
        let again = try SQLiteStore(url: url, node: "nws", signingKey: key)
        #expect(try await again.auditEvents().count == events.count)
        await again.close()
        try tamper(url, "UPDATE records SET outcome = 'denied' WHERE id = 1;")
        guard case let .failure(failure) = try StoreReader(url: url).verifyAudit(with: AuditVerifier(node: "nws", key: key.publicKey)) else {
            Issue.record("an edited adopted record verified")
            return
        }
        #expect(failure.reason.contains("records row id = 1 does not match the digest its entry holds (changed)"), "\(failure)")
    }
}
