import Crypto
import Foundation
import RenkeiCore
import RenkeiStore
import RenkeiTestSupport
import Testing

/// The network system's store in PostgreSQL: a real server (TestPostgres), a schema per test.
@Suite("PostgreSQL store", .timeLimit(.minutes(3)))
struct PostgresStoreTests {
    let key = P256.Signing.PrivateKey()

    func location(_ schema: String = TestPostgres.freshSchema()) async throws -> PostgresLocation {
        try PostgresLocation(url: try await TestPostgres.url(schema: schema))
    }

    func open(_ location: PostgresLocation, checkpointEvery: Int = 1_000) -> PostgresStore {
        var options = PostgresStore.Options()
        options.checkpointEvery = checkpointEvery
        return PostgresStore(location: location, node: "nws", signingKey: key, options: options)
    }

    /// psql against the test server, in the store's schema.
    func psql(_ location: PostgresLocation, _ sql: String) async throws -> CommandResult {
        let base = try await TestPostgres.url()
        return try await runProcess(URL(fileURLWithPath: try requireTool("psql")), [base, "-v", "ON_ERROR_STOP=1", "-Atc", sql])
    }

    @Test("two replicas committing at once on one schema make one chain: every entry, checkpoint and record verifies")
    func replicasShareOneChain() async throws {
        let location = try await location()
        let first = open(location, checkpointEvery: 50)
        let second = open(location, checkpointEvery: 50)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in [first, second].enumerated() {
                for worker in 0..<4 {
                    group.addTask {
                        for round in 0..<25 {
                            let n = index * 10_000 + worker * 100 + round
                            try await store.commit([.record(try record(n)), .audit(event(n))])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        _ = try await first.checkpointNow()
        let entries = try await second.auditEntries()
        #expect(entries.count == 400, "200 records and 200 events from the two replicas")
        #expect(entries.map(\.sequence) == Array(0..<400), "one sequence, no gap and no position taken twice")
        let checkpoints = try await second.auditCheckpoints()
        #expect(checkpoints.count >= 8, "a checkpoint every 50 entries, by whichever replica crossed it: \(checkpoints.map(\.size))")
        #expect(checkpoints.allSatisfy { $0.isSigned(by: key.publicKey, node: "nws") })
        let report = try await second.verifyAudit(with: AuditVerifier(node: "nws", key: key.publicKey)).get()
        #expect(report.entries == 400)
        #expect(report.records == 200, "every record row matches the digest its entry holds")
        #expect(try await first.countRecords(RecordQuery(party: .network, testMode: nil)) == 200)
        await first.close()
        await second.close()
    }

    @Test("the 処理通番 and manual exchanges one replica writes are the other's state at load; a reopen keeps them")
    func stateIsShared() async throws {
        let location = try await location()
        let first = open(location)
        let issued = try ProcessingNumber("P1700000000ABCDEF011")
        let used = try ProcessingNumber("P1700000000ABCDEF012")
        let organization = try OrganizationCode("0101213100000000")
        try await first.commit([
            .processingNumberIssued(issued, organization: organization), .processingNumberIssued(used, organization: organization),
        ])
        try await first.commit([.processingNumberUsed(used)])
        let second = open(location)
        let state = try await second.loadState()
        #expect(state.writes == [.processingNumberIssued(issued, organization: organization)])
        #expect(state.damaged.isEmpty)
        await first.close()
        await second.close()
        let reopened = open(location)
        #expect(try await reopened.loadState().writes.count == 1)
        await reopened.close()
    }

    @Test("records are found by reception number, 符号 and time, newest first, and purged by age inside the append-only rule")
    func recordsQueryAndPurge() async throws {
        let location = try await location()
        let store = open(location)
        try await store.commit(try (0..<30).map { .record(try record($0)) })
        let found = try await store.records(RecordQuery(receptionNumber: try ReceptionNumber("R7"), testMode: nil))
        #expect(found == [try record(7)], "the record reads back exactly as written")
        let byCode = try await store.records(RecordQuery(linkCodes: [try LinkCode("code3")], testMode: nil))
        #expect(byCode.map(\.receptionNumber.rawValue) == ["R24", "R17", "R10", "R3"])
        #expect(try await store.countRecords(requestedBefore: 1_700_000_000_000_000 + 10) == 10)
        try await store.commit([.recordsPurged(requestedBefore: 1_700_000_000_000_000 + 10)])
        #expect(try await store.countRecords(RecordQuery(testMode: nil)) == 20)
        let report = try await store.verifyAudit(with: AuditVerifier(node: "nws", key: key.publicKey)).get()
        #expect(report.records == 20, "the purged rows are covered by the removal entry")
        await store.close()
    }

    @Test("the server refuses UPDATE, DELETE and TRUNCATE of the audit log and the records outside renkei's purge")
    func appendOnly() async throws {
        let location = try await location()
        let store = open(location)
        try await store.commit([.record(try record(1)), .audit(event(1))])
        await store.close()
        let schema = location.schema
        for sql in [
            "UPDATE \(schema).audit SET detail = 'rewritten'", "DELETE FROM \(schema).audit", "TRUNCATE \(schema).audit",
            "UPDATE \(schema).records SET outcome = 'failed'", "DELETE FROM \(schema).records", "TRUNCATE \(schema).records",
        ] {
            let result = try await psql(location, sql)
            #expect(result.status != 0, "\(sql) was allowed")
            #expect(result.error.contains("of renkei is append-only"), "\(sql): \(result.error)")
        }
        #expect(try await psql(location, "SELECT count(*) FROM \(schema).audit").output.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
    }

    @Test("a record rewritten in the server with the triggers dropped fails audit verify at its row")
    func tamperedRowIsFound() async throws {
        let location = try await location()
        let store = open(location)
        try await store.commit(try (0..<5).map { .record(try record($0)) })
        let schema = location.schema
        let result = try await psql(
            location,
            "DROP TRIGGER records_append_only ON \(schema).records; UPDATE \(schema).records SET outcome = 'failed' WHERE reception_number = 'R3'")
        #expect(result.status == 0, "\(result.error)")
        let verified = try await store.verifyAudit(with: AuditVerifier(node: "nws", key: key.publicKey))
        guard case let .failure(failure) = verified else {
            Issue.record("a rewritten record verified")
            return
        }
        #expect(failure.reason.contains("\(schema).records row id = 4 does not match the digest its entry holds"), "\(failure.reason)")
        await store.close()
    }

    @Test("a write that belongs to another kind of node is refused with INVALID_CONFIGURATION, and nothing of its commit is kept")
    func foreignWriteRefused() async throws {
        let location = try await location()
        let store = open(location)
        let tenant = try OrganizationCode("0101213100000000")
        await #expect(throws: RenkeiError.self) {
            try await store.commit([.audit(event(1)), .permitUsed(tenant: tenant, id: [1, 2, 3], expiresAt: 0)])
        }
        do {
            try await store.commit([.permitUsed(tenant: tenant, id: [1, 2, 3], expiresAt: 0)])
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains("wrote permitUsed, which belongs to another kind of node"), "\(error.message)")
        }
        #expect(try await store.auditEntries().isEmpty, "the refused commit's audit entry was rolled back with it")
        await store.close()
    }

    @Test("an unreachable server fails a commit with UNAVAILABLE naming the server and the setting to check")
    func unreachableServer() async throws {
        // The discard port on loopback: nothing here listens on it.
        let location = try PostgresLocation(host: "127.0.0.1", port: 9, user: "renkei", database: "renkei", schema: "unreachable")
        var options = PostgresStore.Options()
        options.timeout = .seconds(1)
        options.schemaTimeout = .seconds(1)
        let store = PostgresStore(location: location, node: "nws", signingKey: key, options: options)
        do {
            try await store.commit([.audit(event(1))])
            Issue.record("a commit without a server succeeded")
        } catch {
            #expect(error.code == .unavailable)
            #expect(
                error.message.hasPrefix(
                    "the network system's PostgreSQL store at postgres://renkei@127.0.0.1:9/renkei (schema unreachable) could not reach"),
                "\(error.message)")
            #expect(error.message.contains("could not reach: no answer within 1 s"), "\(error.message)")
            #expect(error.message.contains("network_system.postgres"))
        }
        await store.close()
    }

    @Test("a store opened to read finds no schema where renkei never ran, and says so")
    func readerWithoutSchema() async throws {
        let location = try await location()
        let reader = PostgresStore(location: location, node: "nws", signingKey: nil)
        do {
            _ = try await reader.auditEntries()
            Issue.record("a reader without a schema read entries")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains("holds no store of nws (no table \(location.schema).audit_head)"), "\(error.message)")
        }
        await reader.close()
    }

    @Test(
        "PostgreSQL URLs: the schema and password are read, sslmode other than disable and unknown parameters are refused, the password is never printed",
        arguments: [
            ("postgres://renkei:secret@db.example:6543/linkage?schema=nws_a", "ok postgres://renkei@db.example:6543/linkage (schema nws_a)"),
            ("postgres://renkei@127.0.0.1/renkei?sslmode=require", "sslmode=require is not supported"),
            ("postgres://renkei@127.0.0.1/renkei?schema=Robert%27);DROP", "is not a plain name"),
            ("postgres://renkei@127.0.0.1/renkei?pool=9", "unknown parameter \"pool\""),
            ("mysql://renkei:secret@127.0.0.1/renkei", "does not read"),
            ("postgres://127.0.0.1/renkei", "names no host or user"),
        ])
    func urls(text: String, expected: String) {
        do {
            let location = try PostgresLocation(url: text, environment: [:])
            #expect("ok \(location)" == expected)
            #expect(location.password == (text.contains("secret") ? "secret" : nil))
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(!error.message.contains("secret"), "the password is not printed: \(error.message)")
        }
    }
}
