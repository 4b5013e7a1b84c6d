import Foundation
import Logging
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI
import RenkeiStore
import RenkeiTestSupport
import RenkeiWire
import Synchronization
import Testing

/// `renkei up` as users run it, on a real data directory.
@Suite("Durable runs of renkei up", .serialized, .networkShare, .queuedTimeLimit)
struct DurabilityTests {
    struct Run {
        let scratch: URL
        var locations: [String] { ["--certs", scratch.appendingPathComponent("certs").path, "--data", data.path] }
        var data: URL { scratch.appendingPathComponent("data") }
        var pki: PKIDirectory { PKIDirectory(url: scratch.appendingPathComponent("certs")) }

        func start(_ extra: [String] = []) async throws -> (RunningUp, [String]) {
            let up = try RunningUp(arguments: locations + ["--ephemeral-ports"] + extra)
            let lines = try #require(await up.waitForReady(), "renkei up did not become ready")
            return (up, lines)
        }

        func endpoint(_ node: String) throws -> Endpoint {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: data.appendingPathComponent("endpoints.json"))) as? [String: String]
            return try Endpoint(try #require(json?[node]))
        }
    }

    static let topology: Topology = {
        do { return try Topology.load(from: Repository.root.appendingPathComponent("config/topology.yaml"), today: SimulationClock().today()) } catch
        {
            fatalError("\(error)")
        }
    }()

    /// 宛名番号 of 苫小牧市 residents who moved from 札幌市 and have a 符号 at both cities.
    static func movers() -> [String] {
        let population = Population(plan: topology.population)
        let sapporo = Dictionary(uniqueKeysWithValues: population.register(.municipality(city: "sapporo")).map { ($0.person, $0.linkCodeAcquired) })
        return population.register(.municipality(city: "tomakomai")).filter { entry in
            population.persons[entry.person].formerCity == "sapporo" && entry.linkCodeAcquired && sapporo[entry.person] == true
        }.map(\.addressNumber.rawValue)
    }

    @Test(
        "a renkei up killed with SIGKILL mid-stream (every process) loses no acknowledged inquiry, and its audit logs verify",
        arguments: UpMode.allCases)
    func crash(mode: UpMode) async throws {
        let run = Run(scratch: try scratchDirectory("cli"))
        let (up, _) = try await run.start(mode.arguments)
        let client = try RPCClient(
            configuration: .init(target: try run.endpoint("atena-tomakomai"), expectedPeer: "atena-tomakomai", connections: 2),
            credentials: try run.pki.credentials(for: "tomakomai/kokuho"),
            logger: Logger(label: "renkei.test.crash")
        )
        let sapporo = try #require(Self.topology.organization(id: "sapporo"))
        let movers = Self.movers()
        let tally = Tally()
        let (progress, progressSink) = AsyncStream<Int>.makeStream()
        // Each caller stops at its first failure: the kill.
        let workers = Task {
            await InquiryCallers.run(client, movers: movers, provider: sapporo.code.rawValue, tally: tally, progress: progressSink, stopAtError: true)
        }
        for await count in progress where count >= 300 { break }
        await up.kill()
        await workers.value
        await client.shutdown()
        let acknowledged = tally.acknowledged
        #expect(acknowledged.count >= 300)

        let (again, lines) = try await run.start(mode.arguments)
        #expect(lines.contains { $0.contains("loaded from") }, "the restart continues with the seeded data")
        let municipal = try StoreReader(url: NodeFiles.store("ms-municipal", in: run.data))
        let network = try StoreReader(url: NodeFiles.store("nws", in: run.data))
        var missing = [String]()
        for reception in acknowledged {
            let number = try ReceptionNumber(reception)
            let parties = Set(try municipal.records(RecordQuery(receptionNumber: number)).map(\.party))
                .union(try network.records(RecordQuery(receptionNumber: number)).map(\.party))
            if parties != [.inquirer, .provider, .network] { missing.append(reception) }
        }
        #expect(missing.isEmpty, "\(missing.count) of \(acknowledged.count) acknowledged inquiries lack a record: \(missing.prefix(5))")
        print(
            "crash test (\(mode)): \(acknowledged.count) inquiries acknowledged before SIGKILL, \(acknowledged.count - missing.count) found with all three records after the restart"
        )
        #expect(await again.interrupt() == 0)

        let verify = try await renkei(["audit", "verify"] + run.locations)
        #expect(verify.status == 0, "\(verify.output)\(verify.error)")
        #expect(verify.output.contains("nws: "))
    }

    @Test("やりとり履歴 shows 苫小牧市 asking 札幌市 under item 42, a テスト exchange marked, and leaves out 不開示 exchanges, which only a granted system may mark")
    func portalView() async throws {
        let run = Run(scratch: try scratchDirectory("cli"))
        let (up, _) = try await run.start()
        let people = try await renkei(["population", "--city", "tomakomai", "--movers", "--limit", "1"])
        let mover = people.output.split(separator: "\n")[2].split(separator: "\t")
        let (addressNumber, myNumber) = (String(mover[0]), String(mover[4]))
        let base =
            ["inquire"] + run.locations + [
                "--user", "user01",
                "--system", "tomakomai/kokuho", "--item", "42", "--provider", "sapporo", "--info", "TAX", "--address-number", addressNumber,
            ]
        #expect(try await renkei(base).status == 0)
        #expect(try await renkei(base + ["--nondisclosure"]).status == 0)
        // テスト mode runs the real path; it cannot hide the exchange: it is shown, marked.
        #expect(try await renkei(base + ["--test-mode"]).status == 0)
        // 苫小牧市's 税 system has no grant to mark 照会側不開示.
        let hidden = try await renkei(
            ["inquire"] + run.locations + [
                "--user", "user01",
                "--system", "tomakomai/zei", "--item", "27", "--provider", "sapporo", "--info", "TAX", "--address-number", addressNumber,
                "--nondisclosure",
            ])
        #expect(hidden.status == 3, "\(hidden.output) \(hidden.error)")
        #expect(
            hidden.output.hasPrefix("DENIED: SYSTEM_NOT_AUTHORIZED: 苫小牧市 税務システム (tomakomai/zei) may not mark an inquiry 照会側不開示"), "\(hidden.output)")

        let portal = try await renkei(["records"] + run.locations + ["--my-number", myNumber])
        #expect(portal.status == 0, "\(portal.error)")
        let rows = portal.output.split(separator: "\n").dropFirst(2)
        #expect(rows.count == 2, "the 不開示 exchange is not shown, the テスト one is: \(portal.output)")
        #expect(rows.filter { $0.hasSuffix("(テスト)") }.count == 1, "\(portal.output)")
        let columns = rows.first?.split(separator: "\t").map(String.init) ?? []
        #expect(Array(columns.dropFirst().prefix(3)) == ["苫小牧市", "札幌市", "別表第二 第42項 (命令第二条の表 第69項)"], "records keep both numberings")

        let kept = try await renkei(["records"] + run.locations + ["--org", "tomakomai"])
        #expect(kept.output.split(separator: "\n").count == 4, "both real exchanges are in 苫小牧市's own records (テスト ones are kept apart)")
        #expect(kept.output.contains("不開示"))
        #expect(await up.interrupt() == 0)
    }

    @Test("records older than seven years are purged when the clock is moved on, and the purge is audited")
    func retention() async throws {
        let run = Run(scratch: try scratchDirectory("cli"))
        let (up, _) = try await run.start()
        let people = try await renkei(["population", "--city", "tomakomai", "--movers", "--limit", "1"])
        let addressNumber = String(people.output.split(separator: "\n")[2].split(separator: "\t")[0])
        #expect(
            try await renkei(
                ["inquire"] + run.locations + [
                    "--user", "user01",
                    "--system", "tomakomai/kokuho", "--item", "42", "--provider", "sapporo",
                    "--info", "TAX", "--address-number", addressNumber,
                ]
            ).status == 0)
        #expect(await up.interrupt() == 0)

        let (later, lines) = try await run.start(["--clock-offset", "2560d"])
        #expect(lines.contains { $0.hasPrefix("retention") && $0.contains("purged 3") }, "\(lines)")
        #expect(await later.interrupt() == 0)
        let kept = try await renkei(["records"] + run.locations + ["--org", "tomakomai"])
        #expect(kept.output.hasPrefix("# 苫小牧市: 0 "))
        let verify = try await renkei(["audit", "verify"] + run.locations)
        #expect(verify.status == 0, "\(verify.output)")
    }
}

@Suite("renkei seed", .networkShare, .queuedTimeLimit)
struct SeedCommandTests {
    @Test("seed loads a deterministic population that up then serves and population lists")
    func seed() async throws {
        let scratch = try scratchDirectory("cli")
        let locations = ["--certs", scratch.appendingPathComponent("certs").path, "--data", scratch.appendingPathComponent("data").path]
        let seeded = try await renkei(["seed"] + locations + ["--persons", "3000", "--seed", "7", "--cities", "tomakomai,sapporo"])
        #expect(seeded.status == 0, "\(seeded.error)")
        #expect(seeded.output.contains("seeded 3000 persons"))
        #expect(seeded.error.contains("100% 3000/3000 persons"), "progress is shown: \(seeded.error)")

        let listed = try await renkei(["population"] + locations + ["--city", "tomakomai", "--limit", "3"])
        #expect(listed.output.hasPrefix("# 苫小牧市 (tomakomai): 1125 people, seed 7"), "\(listed.output)")
        let again = try await renkei(["population"] + locations + ["--city", "tomakomai", "--limit", "3"])
        #expect(again.output == listed.output, "the same seed lists the same people")

        let up = try RunningUp(arguments: locations + ["--ephemeral-ports"])
        let lines = try #require(await up.waitForReady())
        #expect(lines.contains { $0.contains("3000 persons") && $0.contains("loaded from") })
        let mover = String(listed.output.split(separator: "\n")[2].split(separator: "\t")[0])
        let answer = try await renkei(
            ["inquire"] + locations + [
                "--user", "user01",
                "--system", "tomakomai/kokuho", "--item", "42", "--provider", "sapporo", "--info", "TAX", "--address-number", mover,
            ])
        #expect(answer.status == 0 || answer.status == 3, "\(answer.error)")
        #expect(await up.interrupt() == 0)

        let bad = try await renkei(["seed"] + locations + ["--persons", "0"])
        #expect(bad.status == 64)
        let unknownCity = try await renkei(["seed"] + locations + ["--cities", "atlantis"])
        #expect(unknownCity.status == 1)
        #expect(unknownCity.error.contains("error: UNKNOWN_ORGANIZATION"))
    }
}
