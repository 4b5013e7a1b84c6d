import Foundation
import RenkeiTestSupport
import Testing

/// `renkei up` supervising a `renkei node` process per node, and `renkei node` alone.
@Suite("A process per node", .serialized, .networkShare, .queuedTimeLimit)
struct ProcessPerNodeTests {
    static let nodes = ["tsa", "nws", "jlis", "ms-municipal", "ms-insurers", "ms-nenkin", "atena-tomakomai", "atena-sapporo"]

    /// The process id each node wrote into its lock (DATA/nodes/NODE.lock).
    static func pids(in data: URL) throws -> [String: Int32] {
        var pids = [String: Int32]()
        for node in nodes {
            let text = try String(contentsOf: data.appendingPathComponent("nodes/\(node).lock"), encoding: .utf8)
            pids[node] = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return pids
    }

    static func inquire(_ locations: [String], addressNumber: String) async throws -> String? {
        let asked = try await renkei(
            ["inquire"] + locations + [
                "--user", "user01", "--system", "tomakomai/kokuho", "--item", "42", "--provider", "sapporo",
                "--info", "TM00000000000002", "--address-number", addressNumber,
            ])
        let json = try? JSONSerialization.jsonObject(with: Data(asked.output.utf8)) as? [String: Any]
        return json?["outcome"] as? String ?? "\(asked.status): \(asked.output) \(asked.error)"
    }

    @Test(
        "each node runs in its own process; one killed with SIGKILL is reported and restarted, the others keep their processes, and inquiries cross it before and after"
    )
    func restartAfterCrash() async throws {
        let scratch = try scratchDirectory("cli")
        let data = scratch.appendingPathComponent("data")
        let locations = ["--certs", scratch.appendingPathComponent("certs").path, "--data", data.path]
        let log = scratch.appendingPathComponent("up.log")
        let up = try RunningUp(arguments: locations + ["--ephemeral-ports"], errorLog: log)
        let printed = try #require(
            await up.waitForReady(), "renkei up ended before it was ready: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        for node in Self.nodes {
            #expect(printed.contains { $0.hasPrefix(node + " ") && $0.contains("127.0.0.1:") }, "a line for \(node)")
        }
        let before = try Self.pids(in: data)
        #expect(Set(before.values).count == Self.nodes.count, "one process per node: \(before)")
        #expect(Set(childProcesses(of: up.process.processIdentifier)) == Set(before.values), "the nodes are renkei up's children")

        let people = try await renkei(["population", "--city", "tomakomai", "--movers", "--limit", "1"])
        let mover = String(people.output.split(separator: "\n")[2].split(separator: "\t")[0])
        #expect(try await Self.inquire(locations, addressNumber: mover) == "provided")
        let staff = try await renkei(["staff", "list", "--org", "tomakomai"] + locations)
        #expect(staff.status == 1)
        #expect(
            staff.error.hasPrefix(
                "error: UNAVAILABLE: the renkei up on \(data.path) runs a process per node, which serves no admin API (renkei admin, renkei staff); restart it with renkei up --single-process"
            ), "\(staff.error)")

        let victim = try #require(before["ms-municipal"])
        kill(victim, SIGKILL)
        let exited = await up.waitForLine(startingWith: "exited ")
        #expect(exited?.contains("ms-municipal (exit status 137); restarting in 0.5 s (failure 1)") == true, "\(exited ?? "no line")")
        let restarted = await up.waitForLine(startingWith: "restarted ")
        #expect(restarted?.contains("ms-municipal") == true, "\(restarted ?? "no line")")

        let after = try Self.pids(in: data)
        #expect(after["ms-municipal"] != victim, "a new process serves ms-municipal")
        for node in Self.nodes where node != "ms-municipal" {
            #expect(after[node] == before[node], "\(node) kept its process")
        }
        #expect(try await Self.inquire(locations, addressNumber: mover) == "provided", "the atena's client reconnects to the restarted 中間サーバー")

        #expect(await up.interrupt() == 0, "renkei up exits 0 on SIGINT")
        for pid in after.values { #expect(kill(pid, 0) != 0, "node process \(pid) stopped with renkei up") }
    }

    @Test("renkei node with a name the topology lacks exits 1 and lists the nodes it has")
    func unknownNode() async throws {
        let scratch = try scratchDirectory("cli")
        let result = try await renkei(
            ["node", "ms-nowhere", "--certs", scratch.appendingPathComponent("certs").path, "--data", scratch.appendingPathComponent("data").path])
        #expect(result.status == 1)
        #expect(
            result.error.hasPrefix(
                "error: INVALID_CONFIGURATION: no node ms-nowhere in config/topology.yaml; its nodes are tsa, nws, jlis, ms-municipal, ms-insurers, ms-nenkin, atena-tomakomai, atena-sapporo"
            ), "\(result.error)")
    }

    /// The value of the series `name{labels…}` on a metrics page (labels in the order emitted).
    static func value(_ page: String, _ series: String) -> Double? {
        page.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test(
        "every node serves /metrics that promtool accepts: inquiries by party, item and outcome, permits, hops, group commits, connections, queue depth"
    )
    func metrics() async throws {
        let promtool = try requireTool("promtool")
        let curl = try requireTool("curl")
        let scratch = try scratchDirectory("cli")
        let data = scratch.appendingPathComponent("data")
        let locations = ["--certs", scratch.appendingPathComponent("certs").path, "--data", data.path]
        let log = scratch.appendingPathComponent("up.log")
        let up = try RunningUp(arguments: locations + ["--ephemeral-ports"], errorLog: log)
        _ = try #require(await up.waitForReady(), "renkei up ended before it was ready: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        let people = try await renkei(["population", "--city", "tomakomai", "--movers", "--limit", "1"])
        let mover = String(people.output.split(separator: "\n")[2].split(separator: "\t")[0])
        #expect(try await Self.inquire(locations, addressNumber: mover) == "provided")
        let denied = try await renkei(
            ["inquire"] + locations + [
                "--user", "user01", "--system", "tomakomai/kokuho", "--item", "42", "--provider", "nenkin", "--info", "NENKIN",
                "--address-number", mover,
            ])
        #expect(denied.status == 3)

        let endpoints = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: data.appendingPathComponent("endpoints.json"))) as? [String: String])
        var pages = [String: String]()
        for node in Self.nodes {
            let address = try #require(endpoints["\(node).metrics"], "endpoints.json names the metrics of \(node)")
            let scraped = try await runProcess(URL(fileURLWithPath: curl), ["-sf", "http://\(address)/metrics"])
            #expect(scraped.status == 0, "\(node): \(scraped.error)")
            pages[node] = scraped.output
            let file = scratch.appendingPathComponent("\(node).prom")
            try scraped.output.write(to: file, atomically: true, encoding: .utf8)
            let checked = try await runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", "\(promtool) check metrics < '\(file.path)'"])
            #expect(checked.status == 0, "promtool on \(node): \(checked.output)\(checked.error)")
        }
        let municipal = try #require(pages["ms-municipal"])
        #expect(Self.value(municipal, #"renkei_inquiries_total{node="ms-municipal",party="inquirer",item="42→2024:69",outcome="provided"}"#) == 1)
        #expect(Self.value(municipal, #"renkei_inquiries_total{node="ms-municipal",party="provider",item="42→2024:69",outcome="provided"}"#) == 1)
        #expect(Self.value(municipal, #"renkei_rpc_duration_seconds_count{node="ms-municipal",method="ms.inquire"}"#) == 2)
        #expect(Self.value(municipal, #"renkei_manual_queue_depth{node="ms-municipal",tenant="tomakomai"}"#) == 0)
        #expect((Self.value(municipal, #"renkei_store_group_commit_size_count{node="ms-municipal"}"#) ?? 0) > 0)
        #expect((Self.value(municipal, #"renkei_connections_open{node="ms-municipal"}"#) ?? 0) > 0)
        let network = try #require(pages["nws"])
        #expect(Self.value(network, #"renkei_permits_total{node="nws",result="issued"}"#) == 1)
        #expect(Self.value(network, #"renkei_permits_total{node="nws",result="refused",code="RULE_NOT_PERMITTED"}"#) == 1)
        #expect(Self.value(network, #"renkei_inquiries_total{node="nws",party="network",item="42→2024:69",outcome="provided"}"#) == 1)
        #expect(Self.value(network, #"renkei_rpc_requests_total{node="nws",method="nws.inquire",outcome="RULE_NOT_PERMITTED"}"#) == 1)
        #expect(await up.interrupt() == 0)
    }

    @Test("renkei up --single-process refuses to start when the open-file limit is too low for its nodes, and names both")
    func openFileLimit() async throws {
        let scratch = try scratchDirectory("cli")
        let command =
            "ulimit -n 60; exec '\(renkeiExecutable.path)' up --single-process --ephemeral-ports --certs '\(scratch.appendingPathComponent("certs").path)' --data '\(scratch.appendingPathComponent("data").path)'"
        let result = try await runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", command])
        #expect(result.status == 1)
        #expect(
            result.error.hasPrefix(
                "error: INVALID_CONFIGURATION: 8 nodes in one process need about 208 open files, and this process may open 60 (ulimit -n; the hard limit is 60)"
            ), "\(result.error)")
    }
}
