import Foundation
import RenkeiTestSupport
import Testing

/// What happened cannot be rewritten (issue 13): each attack of an insider with file access, on
/// a copy of a stopped network's real data, is caught by `renkei audit verify` with the node and
/// the entry named, and a node refuses to start on a forged past.
@Suite("Witnessed audit logs", .serialized, .networkShare, .queuedTimeLimit)
struct WitnessTests {
    /// A stopped network that answered one inquiry (records at three parties), made once.
    static let baseline = Task { () async throws -> URL in
        let scratch = try scratchDirectory("witness")
        let run = DamagedDataTests.Run(scratch: scratch)
        let up = try RunningUp(arguments: run.locations + ["--ephemeral-ports"])
        guard await up.waitForReady() != nil else { throw Failure("renkei up did not become ready") }
        let people = try await renkei(["population", "--city", "tomakomai", "--movers", "--limit", "1"])
        let mover = String(people.output.split(separator: "\n")[2].split(separator: "\t")[0])
        let answer = try await renkei(
            ["inquire"] + run.locations + [
                "--user", "user01", "--system", "tomakomai/kokuho", "--item", "42", "--provider", "sapporo", "--info", "TAX",
                "--address-number", mover,
            ])
        guard answer.status == 0 else { throw Failure("the inquiry failed: \(answer.output) \(answer.error)") }
        guard await up.interrupt() == 0 else { throw Failure("renkei up did not stop cleanly") }
        return scratch
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// A copy of the baseline to attack.
    static func copy() async throws -> DamagedDataTests.Run {
        let scratch = try scratchDirectory("attack")
        try FileManager.default.removeItem(at: scratch)
        try FileManager.default.copyItem(at: try await baseline.value, to: scratch)
        return DamagedDataTests.Run(scratch: scratch)
    }

    /// Runs Python on a node's file as an insider would: the triggers dropped first, then
    /// `code` with `db` (sqlite3) and `rechain(from_seq)` (recomputes leaf and chain hashes
    /// from that entry on, as renkei makes them) in scope. Prints what `code` prints.
    static func attack(_ run: DamagedDataTests.Run, _ node: String, _ code: String) async throws -> String {
        let script = """
            import hashlib, sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                db.execute("DROP TRIGGER " + name)
            def field(value):
                data = value.encode()
                return len(data).to_bytes(4, "big") + data
            def rechain(start):
                previous = db.execute("SELECT chain FROM audit WHERE seq = ?", (start - 1,)).fetchone()
                chain = previous[0] if previous else bytes(32)
                for seq, at, kind, actor, detail in db.execute("SELECT seq, at, kind, actor, detail FROM audit WHERE seq >= ? ORDER BY seq", (start,)).fetchall():
                    leaf = hashlib.sha256(b"\\x00" + field(str(seq)) + field(str(at)) + field(kind) + field(actor or "") + field(detail)).digest()
                    chain = hashlib.sha256(chain + leaf).digest()
                    db.execute("UPDATE audit SET leaf = ?, chain = ? WHERE seq = ?", (leaf, chain, seq))
            \(code)
            db.commit()
            """
        let result = try await runProcess(URL(fileURLWithPath: try requireTool("python3")), ["-c", script, run.store(node).path])
        guard result.status == 0 else { throw Failure("the attack script failed: \(result.error)") }
        return result.output
    }

    static func verify(_ run: DamagedDataTests.Run) async throws -> CommandResult {
        try await renkei(["audit", "verify"] + run.locations)
    }

    @Test("an untouched copy verifies: every node witnessed by tsa, its records in the chain")
    func untouched() async throws {
        let run = try await Self.copy()
        let result = try await Self.verify(run)
        #expect(result.status == 0, "\(result.output) \(result.error)")
        let municipal = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("ms-municipal:") })
        #expect(municipal.contains("witnessed by tsa"), "\(municipal)")
        #expect(municipal.contains(", 2 records,"), "the inquirer's and the provider's record: \(municipal)")
    }

    @Test(
        "an audit entry rewritten, the chain recomputed and the signed checkpoints and stamps deleted: verify fails, naming the checkpoint tsa stamped"
    )
    func rewrittenRechainedCheckpointsDeleted() async throws {
        let run = try await Self.copy()
        _ = try await Self.attack(
            run, "ms-municipal",
            """
            db.execute("UPDATE audit SET detail = 'nothing happened' WHERE seq = 3")
            rechain(3)
            db.execute("DELETE FROM audit_checkpoints")
            db.execute("DELETE FROM audit_stamps")
            """)
        let result = try await Self.verify(run)
        #expect(result.status == 2, "\(result.output)")
        let line = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("ms-municipal:") })
        #expect(line.contains("FAILED at entry"), "\(line)")
        #expect(line.contains("which tsa stamped at") && line.contains("missing from the node's file (deleted)"), "\(line)")
    }

    @Test("an audit entry rewritten and the chain recomputed, checkpoints kept: verify fails at the range the witness names")
    func rewrittenRechained() async throws {
        let run = try await Self.copy()
        _ = try await Self.attack(
            run, "ms-municipal",
            """
            db.execute("UPDATE audit SET detail = 'nothing happened' WHERE seq = 3")
            rechain(3)
            """)
        let result = try await Self.verify(run)
        #expect(result.status == 2, "\(result.output)")
        let line = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("ms-municipal:") })
        #expect(line.contains("FAILED at entry"), "\(line)")
        #expect(line.contains("do not match the signed checkpoint"), "\(line)")
    }

    @Test("the log cut back to an earlier checkpoint (its later checkpoints and stamps deleted): verify fails, the witness remembers the newest")
    func truncated() async throws {
        let run = try await Self.copy()
        let kept = try await Self.attack(
            run, "ms-municipal",
            """
            sizes = [size for (size,) in db.execute("SELECT size FROM audit_checkpoints ORDER BY size").fetchall()]
            keep = sizes[0]
            db.execute("DELETE FROM audit WHERE seq >= ?", (keep,))
            db.execute("DELETE FROM audit_checkpoints WHERE size > ?", (keep,))
            db.execute("DELETE FROM audit_stamps WHERE size > ?", (keep,))
            print(keep)
            """
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try await Self.verify(run)
        #expect(result.status == 2, "\(result.output)")
        let line = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("ms-municipal:") })
        #expect(line.contains("FAILED at entry \(kept)"), "\(line)")
        #expect(line.contains("entries were cut from the end") || line.contains("missing from the node's file (deleted)"), "\(line)")
    }

    @Test("a 情報提供等記録 deleted, edited or inserted outside renkei fails verify, naming the entry or the row")
    func recordTampering() async throws {
        for (attack, expected) in [
            (
                "db.execute(\"DELETE FROM records WHERE id = (SELECT MIN(id) FROM records)\")",
                "missing from the records table (deleted outside renkei)"
            ),
            (
                "db.execute(\"UPDATE records SET outcome = 'denied' WHERE id = (SELECT MIN(id) FROM records)\")",
                "does not match the digest its entry holds (changed)"
            ),
            (
                "db.execute(\"INSERT INTO records (party, reception_number, inquirer, provider, item, procedure, information_codes, requested_at, outcome, inquirer_nondisclosure, provider_nondisclosure) SELECT party, 'R' || reception_number, inquirer, provider, item, procedure, information_codes, requested_at, outcome, 0, 0 FROM records LIMIT 1\")",
                "is in no audit entry (inserted outside renkei)"
            ),
        ] {
            let run = try await Self.copy()
            _ = try await Self.attack(run, "ms-municipal", attack)
            let result = try await Self.verify(run)
            #expect(result.status == 2, "\(attack): \(result.output)")
            let line = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("ms-municipal:") })
            #expect(line.contains(expected), "\(attack): \(line)")
        }
    }

    @Test("records reconcile: the three parties agree on the baseline; with the inquirer's copy removed it names the exchange and exits 2")
    func reconcile() async throws {
        let run = try await Self.copy()
        let agreed = try await renkei(["records", "reconcile"] + run.locations)
        #expect(agreed.status == 0, "\(agreed.output) \(agreed.error)")
        #expect(agreed.output.contains("1 exchanges compared, 0 disagreements"), "\(agreed.output)")
        let reception = try await Self.attack(
            run, "ms-municipal",
            """
            (reception,) = db.execute("SELECT reception_number FROM records WHERE party = 'inquirer'").fetchone()
            db.execute("DELETE FROM records WHERE party = 'inquirer'")
            print(reception)
            """
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let disagreed = try await renkei(["records", "reconcile"] + run.locations)
        #expect(disagreed.status == 2, "\(disagreed.output)")
        #expect(
            disagreed.output.contains("DISAGREE \(reception): the network system recorded provided, the inquirer kept no record"),
            "\(disagreed.output)")
    }

    @Test("the append-only triggers refuse to change or delete a record")
    func triggers() async throws {
        let run = try await Self.copy()
        let result = try await runProcess(
            URL(fileURLWithPath: try requireTool("python3")),
            [
                "-c", "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute(\"DELETE FROM records\"); db.commit()",
                run.store("ms-municipal").path,
            ]
        )
        #expect(result.status != 0)
        #expect(result.error.contains("records are append-only"), "\(result.error)")
    }

    @Test(
        "audit export writes the log, C2SP checkpoints, signatures and RFC 3161 stamps; verify --export passes, openssl checks a signature and a stamp, and an edited export fails"
    )
    func export() async throws {
        let run = try await Self.copy()
        let out = run.scratch.appendingPathComponent("export")
        let written = try await renkei(["audit", "export"] + run.locations + ["--node", "ms-municipal", "--out", out.path])
        #expect(written.status == 0, "\(written.output) \(written.error)")
        let verified = try await renkei(["audit", "verify"] + run.locations + ["--export", out.path, "--node", "ms-municipal"])
        #expect(verified.status == 0, "\(verified.output) \(verified.error)")
        #expect(verified.output.contains("ms-municipal (export): ") && verified.output.contains("time-stamps"), "\(verified.output)")

        let openssl = URL(fileURLWithPath: try requireTool("openssl"))
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("checkpoints").path)
        let size = try #require(checkpoints.first { $0.hasSuffix(".sig") }).dropLast(4)
        let text = try String(contentsOf: out.appendingPathComponent("checkpoints/\(size).txt"), encoding: .utf8)
        #expect(text.hasPrefix("renkei/ms-municipal\n\(size)\n"), "C2SP: origin, size, root: \(text)")
        let signature = try await runProcess(
            openssl,
            [
                "dgst", "-sha256", "-verify", out.appendingPathComponent("checkpoint.pub").path, "-signature",
                out.appendingPathComponent("checkpoints/\(size).sig").path, out.appendingPathComponent("checkpoints/\(size).signed").path,
            ])
        #expect(signature.status == 0 && signature.output.contains("Verified OK"), "\(signature.output) \(signature.error)")
        let stamps = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("stamps").path)
        let serial = try #require(stamps.first { $0.hasSuffix(".tsr") }).dropLast(4)
        let stamp = try await runProcess(
            openssl,
            [
                "ts", "-verify", "-data", out.appendingPathComponent("stamps/\(serial).data").path, "-in",
                out.appendingPathComponent("stamps/\(serial).tsr").path, "-CAfile", out.appendingPathComponent("ca.crt").path,
            ])
        #expect(stamp.status == 0 && stamp.output.contains("Verification: OK"), "\(stamp.output) \(stamp.error)")

        // One entry's detail changed in the exported log.
        let log = out.appendingPathComponent("log.jsonl")
        var lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: "\"detail\":\"", with: "\"detail\":\"x")
        try (lines.joined(separator: "\n") + "\n").write(to: log, atomically: true, encoding: .utf8)
        let edited = try await renkei(["audit", "verify"] + run.locations + ["--export", out.path, "--node", "ms-municipal"])
        #expect(edited.status == 2, "\(edited.output)")
        #expect(edited.output.contains("FAILED at entry 1"), "\(edited.output)")
    }

    @Test(
        "a node refuses to start on a log cut back (AUDIT_GAP, naming the node and the witnessed checkpoint); --accept-audit-gap starts it, writes the gap into its log, and verify reports it"
    )
    func startOnForgedLog() async throws {
        let run = try await Self.copy()
        // J-LIS keeps no append-only rows, so what is left after the cut is a consistent log.
        _ = try await Self.attack(
            run, "jlis",
            """
            keep = db.execute("SELECT MIN(size) FROM audit_checkpoints").fetchone()[0]
            db.execute("DELETE FROM audit WHERE seq >= ?", (keep,))
            db.execute("DELETE FROM audit_checkpoints WHERE size > ?", (keep,))
            db.execute("DELETE FROM audit_stamps WHERE size > ?", (keep,))
            """)
        let log = run.scratch.appendingPathComponent("refused.log")
        let refused = try RunningUp(arguments: run.locations + ["--ephemeral-ports"], errorLog: log)
        let outcome = await refused.waitForRefusal()
        #expect(outcome.lines != nil, "renkei up started on a log cut back")
        #expect(outcome.status != 0)
        let message = try String(contentsOf: log, encoding: .utf8)
        #expect(message.contains("AUDIT_GAP"), "\(message)")
        #expect(message.contains("the audit log of jlis does not extend the checkpoint tsa stamped at"), "\(message)")
        #expect(message.contains("--accept-audit-gap"), "\(message)")

        let accepted = try RunningUp(arguments: run.locations + ["--ephemeral-ports", "--accept-audit-gap"])
        #expect(await accepted.waitForReady() != nil, "renkei up --accept-audit-gap starts")
        #expect(await accepted.interrupt() == 0)
        let result = try await Self.verify(run)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("  accepted gap: the checkpoint at"), "\(result.output)")
        // The gap is an entry of jlis's own log, witnessed from then on.
        let jlis = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("jlis:") })
        #expect(jlis.contains("witnessed by tsa"), "\(jlis)")
    }
}
