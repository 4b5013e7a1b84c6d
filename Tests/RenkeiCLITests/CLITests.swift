import Foundation
import RenkeiLoad
import RenkeiTestSupport
import Testing

@Suite("The renkei command line", .serialized, .networkShare, .queuedTimeLimit)
struct CLITests {
    @Test("rules explain: PERMITTED exits 0, DENIED names the rule and exits 3")
    func rulesExplain() async throws {
        let permitted = try await renkei(["rules", "explain", "--item", "2", "--inquirer", "全国健康保険協会", "--provider", "市町村長", "--info", "IRYO"])
        #expect(permitted.status == 0)
        #expect(permitted.output.hasPrefix("PERMITTED"))
        #expect(permitted.output.contains("市町村長 counts as 医療保険者"))

        let denied = try await renkei(["rules", "explain", "--item", "42", "--inquirer", "市町村長", "--provider", "日本年金機構", "--info", "年金給付関係情報"])
        #expect(denied.status == 3)
        #expect(denied.output.hasPrefix("DENIED: RULE_NOT_PERMITTED: 別表第二 第42項"))

        let deleted = try await renkei(["rules", "explain", "--item", "36", "--inquirer", "市町村長", "--provider", "市町村長", "--info", "TAX"])
        #expect(deleted.status == 3)
        #expect(deleted.output.contains("ITEM_DELETED"))

        let unknownKind = try await renkei(["rules", "explain", "--item", "42", "--inquirer", "村長", "--provider", "市町村長", "--info", "TAX"])
        #expect(unknownKind.status == 64, "an unknown kind on the command line is a usage error: \(unknownKind.error)")
        #expect(unknownKind.error.contains("is not a kind of organisation"))
    }

    @Test("certs generate makes a CA and one certificate per holder, and keeps them on a second run")
    func certsGenerate() async throws {
        let dir = try scratchDirectory("cli").appendingPathComponent("certs")
        let first = try await renkei(["certs", "generate", "--dir", dir.path])
        #expect(first.status == 0)
        #expect(first.output.contains("made the development CA"))
        #expect(first.output.contains("issued  tomakomai/kokuho"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("tomakomai_kokuho.crt").path))
        let keyAttributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("nws.key").path)
        #expect((keyAttributes[.posixPermissions] as? Int) == 0o600)
        let second = try await renkei(["certs", "generate", "--dir", dir.path])
        #expect(second.status == 0)
        #expect(!second.output.contains("issued"))
        #expect(second.output.contains("kept    nws"))
    }

    @Test("population lists residents with valid 個人番号")
    func population() async throws {
        let result = try await renkei(["population", "--city", "tomakomai", "--limit", "5"])
        #expect(result.status == 0)
        let rows = result.output.split(separator: "\n").dropFirst(2)
        #expect(rows.count == 5)
        #expect(rows.allSatisfy { $0.split(separator: "\t")[4].count == 12 })
        // An unknown 機関 is the caller's mistake, not a linkage refusal: exit 1 and no DENIED.
        let unknown = try await renkei(["population", "--city", "nowhere"])
        #expect(unknown.status == 1)
        #expect(unknown.error.contains("error: UNKNOWN_ORGANIZATION"))
        #expect(!unknown.output.contains("DENIED"))
    }

    // Single-process: staff, the journal and the reset go through the admin API, which needs every node in one process.
    @Test(
        "up --single-process starts the network and says ready; inquire crosses it; staff and the journal through the admin API; Ctrl-C stops it cleanly"
    )
    func upAndInquire() async throws {
        let scratch = try scratchDirectory("cli")
        let locations = ["--certs", scratch.appendingPathComponent("certs").path, "--data", scratch.appendingPathComponent("data").path]
        let up = try RunningUp(arguments: locations + ["--ephemeral-ports", "--single-process"])
        let lines = await up.waitForReady()
        let printed = try #require(lines, "renkei up ended before it was ready")
        for node in ["nws", "jlis", "ms-municipal", "ms-insurers", "ms-nenkin", "atena-tomakomai", "atena-sapporo"] {
            #expect(printed.contains { $0.hasPrefix(node + " ") && $0.contains("127.0.0.1:") }, "a line for \(node)")
        }

        let people = try await renkei(["population", "--city", "tomakomai", "--movers", "--limit", "1"])
        let mover = people.output.split(separator: "\n")[2].split(separator: "\t")
        let (addressNumber, myNumber) = (String(mover[0]), String(mover[4]))

        let provided = try await renkei(
            ["inquire"] + locations + [
                "--user", "user01",
                "--system", "tomakomai/kokuho", "--item", "42", "--provider", "sapporo",
                "--info", "TM00000000000002", "--address-number", addressNumber,
            ])
        #expect(provided.status == 0, "\(provided.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(provided.output.utf8)) as? [String: Any])
        #expect(json["outcome"] as? String == "provided")
        #expect((json["records"] as? [Any])?.count == 2)
        #expect((json["provider"] as? [String: Any])?["name"] as? String == "札幌市")

        let byMyNumber = try await renkei(
            ["inquire"] + locations + [
                "--user", "user01",
                "--system", "tomakomai/kokuho", "--item", "42", "--provider", "sapporo",
                "--info", "TAX", "--my-number", myNumber,
            ])
        #expect(byMyNumber.status == 0, "\(byMyNumber.error)")

        // The README's insurer example: a former 苫小牧市 国保 member is answered with data, one who never was with no_data.
        for (insured, outcome) in [("5000003", "provided"), ("5000001", "no_data")] {
            let asked = try await renkei(
                ["inquire"] + locations + [
                    "--user", "user01",
                    "--system", "kyokai-kenpo/kyufu", "--item", "2", "--provider", "tomakomai", "--info", "IRYO", "--address-number", insured,
                ])
            let answer = try JSONSerialization.jsonObject(with: Data(asked.output.utf8)) as? [String: Any]
            #expect(answer?["outcome"] as? String == outcome, "\(insured): \(asked.output) \(asked.error)")
        }

        let denied = try await renkei(
            ["inquire"] + locations + [
                "--user", "user01",
                "--system", "tomakomai/kokuho", "--item", "42", "--provider", "nenkin",
                "--info", "NENKIN", "--address-number", addressNumber,
            ])
        #expect(denied.status == 3)
        #expect(denied.output.hasPrefix("DENIED: RULE_NOT_PERMITTED"))

        let notAllowed = try await renkei(
            ["inquire"] + locations + [
                "--user", "user01",
                "--system", "tomakomai/zei", "--item", "42", "--provider", "sapporo",
                "--info", "TAX", "--address-number", addressNumber,
            ])
        #expect(notAllowed.status == 3)
        #expect(notAllowed.output.contains("SYSTEM_NOT_AUTHORIZED"))

        let unknown = try await renkei(
            ["inquire"] + locations + [
                "--user", "user01",
                "--system", "tomakomai/kokuho", "--item", "42", "--provider", "sapporo",
                "--info", "TAX", "--address-number", "999999999",
            ])
        #expect(unknown.status == 1)
        #expect(unknown.error.contains("error: UNKNOWN_PERSON"))

        // Staff: an account added, listed without secrets, given a password and a token, used, disabled.
        let org = ["--org", "tomakomai"]
        let added = try await renkei(
            ["staff", "add"] + locations + org + ["--user", "kokuho03", "--department", "3595115400", "--systems", "tomakomai/kokuho"])
        #expect(added.status == 0, "\(added.error)")
        let listed = try await renkei(["staff", "list"] + locations + org)
        #expect(listed.status == 0 && ["kokuho03", "user01", "zei01"].allSatisfy(listed.output.contains), "\(listed.output)")
        let password = try await renkei(["staff", "reset-password"] + locations + org + ["--user", "kokuho03"])
        #expect(password.status == 0 && password.output.contains("\"secret\"") && !password.output.contains("$2b$"), "\(password.output)")
        let token = try await renkei(["staff", "token"] + locations + org + ["--user", "kokuho03"])
        #expect(token.output.contains("\"secret\" : \"rk_"), "\(token.output)")
        let asStaff = ["inquire"] + locations + ["--system", "tomakomai/kokuho", "--item", "42", "--provider", "sapporo", "--info", "TAX"]
        #expect(try await renkei(asStaff + ["--user", "kokuho03", "--address-number", addressNumber]).status == 0)
        #expect(try await renkei(["staff", "disable"] + locations + org + ["--user", "kokuho03"]).status == 0)
        let refused = try await renkei(asStaff + ["--user", "kokuho03", "--address-number", addressNumber])
        #expect(refused.status == 3 && refused.output.hasPrefix("DENIED: OPERATOR_NOT_IN_FORCE: kokuho03's account is disabled"), "\(refused.output)")
        let nobody = try await renkei(asStaff + ["--address-number", addressNumber])
        #expect(nobody.status == 3 && nobody.output.hasPrefix("DENIED: OPERATOR_REQUIRED: "), "\(nobody.output)")

        // The CLI's inquiries reach the journal over the wire: the denial with its near miss.
        let journal = try await renkei(["admin", "journal"] + locations + ["--interface", "wire", "--outcome", "denied", "--jsonl"])
        #expect(journal.status == 0, "\(journal.error)")
        let entries = journal.output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let ruleDenial = try #require(entries.first { $0["code"] as? String == "RULE_NOT_PERMITTED" }, "\(journal.output)")
        #expect(ruleDenial["identity"] as? String == "tomakomai/kokuho")
        #expect((ruleDenial["at"] as? String)?.hasSuffix("+09:00") == true)
        let nearMiss = try #require(ruleDenial["nearMiss"] as? [String: Any])
        #expect(nearMiss["check"] as? String == "nws: 命令第二条の表", "the check is named after the table in force today")
        #expect((nearMiss["accepted"] as? String)?.contains("苫小牧市 may ask 日本年金機構 for 年金給付関係情報 under") == true, "\(nearMiss)")
        #expect(entries.allSatisfy { $0["interface"] as? String == "wire" && $0["outcome"] as? String == "denied" })

        // Exit statuses by class: usage 64, a configuration error 1, no network on --data 1.
        let usage = try await renkei(
            ["inquire"] + locations + ["--user", "user01", "--system", "tomakomai/kokuho", "--item", "42", "--provider", "sapporo", "--info", "TAX"])
        #expect(usage.status == 64)
        let badConfig = try await renkei(["population", "--city", "tomakomai", "--config", scratch.appendingPathComponent("missing.yaml").path])
        #expect(badConfig.status == 1)
        #expect(badConfig.error.hasPrefix("error: INVALID_CONFIGURATION: cannot read"), "\(badConfig.error)")
        #expect(!badConfig.output.contains("DENIED"))
        let otherData = scratch.appendingPathComponent("other-data").path
        let nothingThere = try await renkei(
            ["inquire", "--user", "user01", "--certs", scratch.appendingPathComponent("certs").path, "--data", otherData] + [
                "--system", "tomakomai/kokuho", "--item", "42", "--provider", "sapporo", "--info", "TAX", "--address-number", addressNumber,
            ])
        #expect(nothingThere.status == 1)
        #expect(
            nothingThere.error.hasPrefix("error: UNAVAILABLE: no renkei up is running on the data directory \(otherData)"), "\(nothingThere.error)")

        // A load run pointed at a network holding the training scenario says so before it starts, and in its report.
        let reset = try await renkei(["admin", "reset", "--scenario", "training"] + locations)
        #expect(reset.status == 0, "\(reset.error)")
        let status = try await renkei(["admin", "status"] + locations)
        let held = try #require(try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any], "\(status.output)")
        #expect((held["scenario"] as? [String: Any])?["scenario"] as? String == "training")
        let report = scratch.appendingPathComponent("report")
        let load = try await renkei(
            ["load"] + locations + ["--rate", "20", "--duration", "1s", "--warmup", "0s", "--report", report.path])
        #expect(load.error.contains("warning: the network holds scenario training with 3 flags"), "\(load.error)")
        #expect(load.output.contains("warning     the network holds scenario training"), "\(load.output)")
        let written = try JSONDecoder().decode(LoadReport.self, from: Data(contentsOf: report.appendingPathComponent("report.json")))
        #expect(written.warnings.first?.hasPrefix("the network holds scenario training") == true)
        #expect(written.summary.schedule?.offered == 20, "\(String(describing: written.summary.schedule))")

        // Asked more than one caller at a time can answer, the run drains after its schedule,
        // is judged over the time that took, and says the rate was not sustained.
        let behind = try await renkei(
            ["load"] + locations + ["--rate", "500", "--duration", "1s", "--warmup", "0s", "--max-in-flight", "1", "--sustained"])
        #expect(behind.status == 1, "\(behind.output)\(behind.error)")
        #expect(behind.output.contains("(asked 500 /s for 1.0 s: 500 requests; the last answer "), "\(behind.output)")
        #expect(behind.output.contains(": NOT SUSTAINED: the answers fell behind the schedule"), "\(behind.output)")
        #expect(behind.output.contains("thresholds  BROKEN: the rate asked was not sustained: "), "\(behind.output)")
        #expect(behind.error.contains("(draining)"), "the seconds of the drain are shown as they pass: \(behind.error)")

        #expect(await up.interrupt() == 0, "renkei up exits 0 on SIGINT")
    }

    @Test("renkei up and each node's process start with glibc's per-thread cache of freed blocks raised (GLIBC_TUNABLES), under the name renkei")
    func allocatorTuningOfProcesses() async throws {
        let scratch = try scratchDirectory("cli")
        let up = try RunningUp(
            arguments: [
                "--certs", scratch.appendingPathComponent("certs").path, "--data", scratch.appendingPathComponent("data").path, "--ephemeral-ports",
            ],
            environment: ["GLIBC_TUNABLES": nil])
        #expect(await up.waitForReady() != nil, "renkei up ended before it was ready")
        // /proc/PID/environ is the environment the process image was started with, which glibc
        // read its tunables from. (glibc parses the variable in place there, putting a NUL at
        // each ':', so only a single tunable reads back whole; the next test reads the rest.)
        let processes = [up.process.processIdentifier] + childProcesses(of: up.process.processIdentifier)
        #expect(processes.count > 2, "a process per node: \(processes)")
        for pid in processes {
            let environ = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))
            let tunables = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.filter { $0.hasPrefix("GLIBC_TUNABLES=") }
            #expect(tunables == ["GLIBC_TUNABLES=glibc.malloc.tcache_count=1000"], "process \(pid)")
            // Executed again under its own name, as `ps` and `pgrep renkei` find it.
            let name = try String(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/comm"), encoding: .utf8)
            #expect(name == "renkei\n", "process \(pid)")
        }
        #expect(await up.interrupt() == 0)
    }

    @Test(
        "renkei adds the allocator's tunable to an operator's GLIBC_TUNABLES and keeps an operator's own value; renkei load prints what it ran with",
        arguments: [
            (nil, "GLIBC_TUNABLES=glibc.malloc.tcache_count=1000"),
            ("glibc.malloc.arena_max=2", "GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.tcache_count=1000"),
            ("glibc.malloc.tcache_count=7", "GLIBC_TUNABLES=glibc.malloc.tcache_count=7"),
        ] as [(String?, String)])
    func allocatorTuningKeepsOperatorsValue(given: String?, expected: String) async throws {
        let scratch = try scratchDirectory("cli")
        let run = try await renkei(
            [
                "load", "--embedded", "--requests", "20", "--concurrency", "2", "--warmup", "0s", "--certs",
                scratch.appendingPathComponent("certs").path,
                "--data", scratch.appendingPathComponent("data").path,
            ], environment: ["GLIBC_TUNABLES": given])
        #expect(run.status == 0, "\(run.output)\n\(run.error)")
        let build = run.output.split(separator: "\n").first { $0.hasPrefix("build ") }
        #expect(build?.hasSuffix(", \(expected)") == true, "\(build ?? "no build line")")
    }

    @Test("every file renkei up makes is owner-only: keys and stores 0600, the certs and data folders 0700")
    func privateFiles() async throws {
        let scratch = try scratchDirectory("cli")
        let certs = scratch.appendingPathComponent("certs"), data = scratch.appendingPathComponent("data")
        let up = try RunningUp(arguments: ["--certs", certs.path, "--data", data.path, "--ephemeral-ports"])
        #expect(await up.waitForReady() != nil, "renkei up ended before it was ready")
        func mode(_ url: URL) throws -> Int {
            try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
        }
        #expect(try mode(certs) == 0o700)
        #expect(try mode(data) == 0o700)
        #expect(try mode(data.appendingPathComponent("nodes")) == 0o700)
        let keys = try FileManager.default.contentsOfDirectory(atPath: certs.path).filter { $0.hasSuffix(".key") }
        #expect(keys.count >= 10, "keys: \(keys)")
        for key in keys { #expect(try mode(certs.appendingPathComponent(key)) == 0o600, "\(key)") }
        let stores = try FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent("nodes").path)
        #expect(stores.contains("nws.sqlite") && stores.contains("nws.sqlite-wal"), "stores: \(stores)")
        for file in stores { #expect(try mode(data.appendingPathComponent("nodes/\(file)")) == 0o600, "\(file)") }
        #expect(await up.interrupt() == 0)
    }

    @Test(
        "hostile numeric options are usage errors (exit 64) with a sentence, never a trap",
        arguments: [
            ["up", "--clock-offset", "999999999999999999d"],
            ["up", "--clock-offset=-99999999999999h"],
            ["up", "--clock-offset", "12y"],
            ["load", "--embedded", "--rate=-5", "--duration", "1s"],
            ["load", "--embedded", "--rate=1e300", "--duration", "1s"],
            ["load", "--embedded", "--concurrency", "99999999", "--duration", "1s"],
            ["load", "--embedded", "--rate", "100", "--duration", "99999999999999d"],
            [
                "inquire", "--user", "user01", "--system", "tomakomai/kokuho", "--item", "42", "--provider", "sapporo", "--info", "TAX",
                "--address-number", "1",
                "--timeout", "0",
            ],
            [
                "inquire", "--user", "user01", "--system", "tomakomai/kokuho", "--item", "42", "--provider", "sapporo", "--info", "TAX",
                "--address-number", "1",
                "--timeout", "99999999999999999999",
            ],
        ])
    func hostileOptions(_ arguments: [String]) async throws {
        let result = try await renkei(arguments)
        #expect(result.status == 64, "exit \(result.status): \(result.error.prefix(300))")
        #expect(result.error.hasPrefix("Error: "), "\(result.error.prefix(300))")
    }
}
