import Foundation
import RenkeiTestSupport
import Testing

/// A restart always comes back (issue 9): a stored row that no longer reads is skipped and
/// named, a damaged checkpoint or file is refused with a sentence (never a trap), and nothing
/// in the sentence quotes SQL.
@Suite("renkei up on damaged data", .serialized, .networkShare, .queuedTimeLimit)
struct DamagedDataTests {
    struct Run {
        let scratch: URL
        var data: URL { scratch.appendingPathComponent("data") }
        var locations: [String] { ["--certs", scratch.appendingPathComponent("certs").path, "--data", data.path] }
        func store(_ node: String) -> URL { data.appendingPathComponent("nodes/\(node).sqlite") }

        /// Starts and stops a fresh network, leaving its data directory behind.
        static func stopped() async throws -> Run {
            let run = Run(scratch: try scratchDirectory("cli"))
            let up = try RunningUp(arguments: run.locations + ["--ephemeral-ports"])
            #expect(await up.waitForReady() != nil, "renkei up did not become ready")
            #expect(await up.interrupt() == 0)
            return run
        }

        /// Edits a stopped node's file as an insider with sqlite3 would.
        func edit(_ node: String, _ sql: String) async throws {
            let result = try await runProcess(
                URL(fileURLWithPath: try requireTool("python3")),
                [
                    "-c", "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); n=db.execute(sys.argv[2]).rowcount; db.commit(); print(n)",
                    store(node).path, sql,
                ])
            #expect(
                result.status == 0 && result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1",
                "the edit changed one row: \(result.output) \(result.error)")
        }
    }

    @Test("a stored 副本 that no longer reads is skipped and named (node, table, row); the node serves the rest")
    func damagedRow() async throws {
        let run = try await Run.stopped()
        try await run.edit(
            "ms-municipal",
            """
            UPDATE duplicates SET items = 'broken' || char(31) WHERE (tenant, person, information_code, data_set, record_key) IN
              (SELECT tenant, person, information_code, data_set, record_key FROM duplicates LIMIT 1)
            """)
        let log = run.scratch.appendingPathComponent("up.log")
        let up = try RunningUp(arguments: run.locations + ["--ephemeral-ports"], errorLog: log)
        #expect(await up.waitForReady() != nil, "renkei up starts on a store with a bad row")
        let people = try await renkei(["population", "--city", "tomakomai", "--movers", "--limit", "1"])
        let mover = String(people.output.split(separator: "\n")[2].split(separator: "\t")[0])
        let answer = try await renkei(
            ["inquire"] + run.locations + [
                "--user", "user01",
                "--system", "tomakomai/kokuho", "--item", "42", "--provider", "sapporo",
                "--info", "TAX", "--address-number", mover,
            ])
        #expect(answer.status == 0, "the other 副本 still answer: \(answer.output) \(answer.error)")
        #expect(await up.interrupt() == 0)
        let written = try String(contentsOf: log, encoding: .utf8)
        #expect(
            written.contains("node=ms-municipal") && written.contains("table=duplicates") && written.contains("its items are damaged"),
            "\(written.suffix(600))")
    }

    /// Starts renkei up on damaged data and returns what it printed (stdout and log) and its status.
    func refusedStart(_ run: Run) async throws -> (text: String, status: Int32) {
        let log = run.scratch.appendingPathComponent("refused.log")
        let up = try RunningUp(arguments: run.locations + ["--ephemeral-ports"], errorLog: log)
        let (lines, status) = await up.waitForRefusal()
        #expect(lines != nil, "renkei up started on damaged data")
        return (((lines ?? []) + [(try? String(contentsOf: log, encoding: .utf8)) ?? ""]).joined(separator: "\n"), status)
    }

    @Test("a checkpoint whose stored frontier is out of range stops start-up with STORE_DAMAGED (no trap); audit verify names it")
    func damagedCheckpoint() async throws {
        let run = try await Run.stopped()
        try await run.edit(
            "ms-municipal",
            """
            UPDATE audit_checkpoints SET frontier = X'FFFFFFFFFFFFFFFF' || zeroblob(33) WHERE size = (SELECT MAX(size) FROM audit_checkpoints)
            """)
        let (text, status) = try await refusedStart(run)
        #expect(status == 1, "exit \(status) (132 is a trap): \(text.suffix(400))")
        #expect(text.contains("STORE_DAMAGED") && text.contains("ms-municipal") && text.contains("renkei audit verify"), "\(text.suffix(400))")
        #expect(!text.contains("SELECT"), "no SQL in the sentence")
        let verify = try await renkei(["audit", "verify", "--data", run.data.path, "--certs", run.scratch.appendingPathComponent("certs").path])
        #expect(verify.status == 2, "\(verify.output) \(verify.error)")
        #expect(verify.output.contains("ms-municipal: FAILED") && verify.output.contains("Merkle frontier"), "\(verify.output) \(verify.error)")
    }

    @Test("a store file that is not a database is named at start, with SQLite's reason and no SQL")
    func notADatabase() async throws {
        let run = try await Run.stopped()
        let file = run.store("jlis")
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
        try Data(repeating: 0x41, count: 8_192).write(to: file)
        let (text, status) = try await refusedStart(run)
        #expect(status == 1, "exit \(status): \(text.suffix(400))")
        #expect(text.contains("jlis") && text.contains("SQLite error 26"), "\(text.suffix(400))")
        #expect(!text.contains("SELECT") && !text.contains("PRAGMA"), "no SQL in the sentence: \(text.suffix(400))")
    }
}
