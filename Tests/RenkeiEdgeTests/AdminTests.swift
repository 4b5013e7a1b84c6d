import Foundation
import NIOHTTP1
import RenkeiCore
import RenkeiEdge
import RenkeiTestSupport
import Testing

@Suite("The tester's controls", .queuedTimeLimit)
struct AdminTests {
    @Test("the journal explains a denial: which rule, which field, the near miss")
    func journal() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            _ = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover, provider: "nenkin", information: "NENKIN"))
            let journal = try await edge.call("admin", "admin", .GET, "/admin/journal?failures=true&limit=5")
            let entry = try #require((journal.json["entries"] as? [[String: Any]])?.first)
            #expect(entry["identity"] as? String == "tomakomai/kokuho")
            #expect(entry["code"] as? String == "RULE_NOT_PERMITTED")
            #expect(entry["status"] as? Int == 403)
            let steps = entry["steps"] as? [[String: Any]] ?? []
            let rule = try #require(steps.first { $0["check"] as? String == "命令第二条の表" }, "the table in force today decides: \(steps)")
            #expect(rule["result"] as? String == "fail")
            #expect(rule["field"] as? String == "provider")
            #expect((rule["detail"] as? String)?.contains("It permits") == true)
            #expect(steps.contains { $0["check"] as? String == "宛名番号" && $0["result"] as? String == "pass" })
        }
    }

    @Test("verification counts what reached a provider")
    func verification() async throws {
        try await withEdge { edge in
            for mover in edge.movers().prefix(3) {
                _ = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover))
            }
            let all = try await edge.call("admin", "admin", .GET, "/admin/verify?provider=sapporo&inquirer=tomakomai&item=42&information=TAX")
            #expect(all.json["count"] as? Int == 3)
            let other = try await edge.call("admin", "admin", .GET, "/admin/verify?provider=sapporo&item=27")
            #expect(other.json["count"] as? Int == 0)
            expectError(try await edge.call("admin", "admin", .GET, "/admin/verify"), 400, "INVALID_REQUEST")
            expectError(try await edge.call("admin", "admin", .GET, "/admin/verify?provider=sapporo&outcome=maybe"), 400, "INVALID_REQUEST")
        }
    }

    @Test("faults: an offline provider, an error, 符号未取得, an expired certificate, latency with a count")
    func faults() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            let ask = { (extra: [String: Any]) in
                try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover, extra: extra))
            }

            let offline = try await edge.call("admin", "admin", .POST, "/admin/faults", json: ["kind": "offline", "tenant": "sapporo", "count": 1])
            #expect(offline.status == 201)
            // Long enough for the request to reach the provider on a loaded machine; the provider
            // then keeps silent until the deadline.
            let silent = try await ask(["timeoutMs": 15000])
            expectError(silent, 504, "DEADLINE_EXCEEDED")
            // The provider that was silent is named, not the inquirer's own 宛名 system.
            #expect((silent.json["message"] as? String)?.hasPrefix("sapporo is offline (injected fault") == true, "\(silent.text)")
            let spent = try await edge.call("admin", "admin", .GET, "/admin/faults")
            #expect((spent.json["faults"] as? [Any])?.isEmpty == true, "the offline fault answered that request: \(spent.text)")

            _ = try await edge.call(
                "admin", "admin", .POST, "/admin/faults", json: ["kind": "error", "node": "nws", "errorCode": "UNAVAILABLE", "count": 1])
            expectError(try await ask([:]), 503, "UNAVAILABLE")

            _ = try await edge.call("admin", "admin", .POST, "/admin/faults", json: ["kind": "link-code-missing", "tenant": "tomakomai", "count": 1])
            expectError(try await ask([:]), 409, "LINK_CODE_NOT_ACQUIRED")

            _ = try await edge.call(
                "admin", "admin", .POST, "/admin/faults", json: ["kind": "expired-certificate", "node": "tomakomai/kokuho", "count": 1])
            expectError(try await ask([:]), 401, "CERTIFICATE_EXPIRED")

            let latency = try await edge.call(
                "admin", "admin", .POST, "/admin/faults",
                json: [
                    "kind": "latency", "tenant": "sapporo", "distribution": "uniform", "latencyMinMs": 1, "latencyMaxMs": 5, "count": 2,
                ])
            let id = try #require(latency.json["id"] as? String)
            let slowed = try await ask([:])
            #expect(slowed.status == 200, "\(slowed.text)")
            let remaining = try await edge.call("admin", "admin", .GET, "/admin/faults")
            #expect(
                (remaining.json["faults"] as? [[String: Any]])?.first { $0["id"] as? String == id }?["count"] as? Int == 1, "the fault fired once")
            let second = try await ask([:])
            #expect(second.status == 200, "\(second.text)")
            let normal = try await ask([:])
            #expect(normal.status == 200, "every counted fault is spent and the linkage answers normally again: \(normal.text)")
            let empty = try await edge.call("admin", "admin", .GET, "/admin/faults")
            #expect((empty.json["faults"] as? [Any])?.isEmpty == true)

            expectError(
                try await edge.call("admin", "admin", .POST, "/admin/faults", json: ["kind": "gremlins", "node": "nws"]), 400, "INVALID_REQUEST")
            expectError(try await edge.call("admin", "admin", .POST, "/admin/faults", json: ["kind": "offline"]), 400, "INVALID_REQUEST")
            expectError(
                try await edge.call("admin", "admin", .POST, "/admin/faults", json: ["kind": "offline", "node": "nowhere"]), 404,
                "UNKNOWN_ORGANIZATION")
            expectError(try await edge.call("admin", "admin", .DELETE, "/admin/faults/F999"), 404, "NOT_FOUND")
        }
    }

    @Test("manual response: 手動応答待ち, then provided or withheld by staff, and both reach the inquirer and the records")
    func manualResponse() async throws {
        try await withEdge(scenario: "training") { edge in
            // In the training scenario, 札幌市 answers 住民票関係情報 by hand; movers are 札幌市's former residents.
            let movers = edge.movers()
            let waiting = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(movers[0], information: "TM90000000000002"))
            #expect(waiting.status == 202, "\(waiting.text)")
            #expect(waiting.json["status"] as? String == "awaiting_manual")
            #expect((waiting.json["statusCodes"] as? [String: String])?["detail"] == "02")
            let reception = try #require(waiting.json["receptionNumber"] as? String)
            let second = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(movers[1], information: "TM90000000000002"))
            let secondReception = try #require(second.json["receptionNumber"] as? String)

            let queue = try await edge.call("sapporo-admin", "admin", .GET, "/admin/queue?tenant=sapporo")
            let queued = (queue.json["entries"] as? [[String: Any]] ?? []).compactMap { $0["receptionNumber"] as? String }
            #expect(Set(queued) == [reception, secondReception])

            #expect(try await edge.call("sapporo-admin", "admin", .POST, "/admin/queue/sapporo/\(reception)/provide").status == 200)
            #expect(try await edge.call("sapporo-admin", "admin", .POST, "/admin/queue/sapporo/\(secondReception)/withhold").status == 200)
            let provided = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/inquiries/\(reception)")
            let withheld = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/inquiries/\(secondReception)")
            #expect(provided.json["status"] as? String == "completed")
            #expect(provided.json["outcome"] as? String == "manual" || provided.json["outcome"] as? String == "no_data")
            #expect(withheld.json["outcome"] as? String == "withheld")
            // Withholding is a refusal to provide; without a 不開示該当 flag the exchange stays visible to the person.
            #expect(withheld.json["providerNondisclosure"] as? Bool == false)
            expectError(
                try await edge.call("sapporo-admin", "admin", .POST, "/admin/queue/sapporo/\(reception)/provide"), 404, "UNKNOWN_RECEPTION_NUMBER")

            let records = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/records?limit=20")
            let outcomes = (records.json["records"] as? [[String: Any]] ?? []).filter { $0["receptionNumber"] as? String == secondReception }
                .compactMap { $0["outcome"] as? String }
            #expect(outcomes.contains("withheld") && outcomes.contains("manual_pending"), "\(outcomes)")
        }
    }

    @Test("a queued inquiry not handled in time is answered with MANUAL_RESPONSE_TIMEOUT")
    func manualTimeout() async throws {
        try await withEdge(scenario: "training", adjust: { $0.manualResponseTimeout = .seconds(1) }) { edge in
            let mover = try #require(edge.movers().first)
            let waiting = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover, information: "TM90000000000002"))
            let reception = try #require(waiting.json["receptionNumber"] as? String)
            var result = waiting
            // The timer runs once a second; poll until it has answered (bounded).
            for _ in 0..<100 where result.json["status"] as? String != "failed" {
                try await Task.sleep(for: .milliseconds(100))
                result = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/inquiries/\(reception)")
            }
            #expect(result.json["status"] as? String == "failed")
            #expect((result.json["error"] as? [String: Any])?["code"] as? String == "MANUAL_RESPONSE_TIMEOUT")
        }
    }

    @Test("reset to a scenario clears what tests did; an uploaded scenario sets flags")
    func reset() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            _ = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover))
            let scenarios = try await edge.call("admin", "admin", .GET, "/admin/scenarios")
            #expect((scenarios.json["scenarios"] as? [String])?.contains("training") == true)
            let reset = try await edge.call("admin", "admin", .POST, "/admin/reset", json: ["scenario": "seed"])
            #expect(reset.status == 200, "\(reset.text)")
            #expect(reset.json["persons"] as? Int == 1600)
            #expect(try await edge.call("admin", "admin", .GET, "/admin/verify?provider=sapporo").json["count"] as? Int == 0)

            let uploaded = try await edge.call(
                "admin", "admin", .POST, "/admin/scenarios",
                text: """
                    name: uploaded
                    flags:
                      - { organization: sapporo, information: TM00000000000002, kind: manual_response }
                    """, contentType: "application/yaml")
            #expect(uploaded.json["flags"] as? Int == 1)
            let waiting = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover))
            #expect(waiting.json["status"] as? String == "awaiting_manual")

            expectError(try await edge.call("admin", "admin", .POST, "/admin/reset", json: ["scenario": "nope"]), 404, "NOT_FOUND")
            expectError(try await edge.call("admin", "admin", .POST, "/admin/reset", json: ["scenario": "../etc"]), 422, "INVALID_CONFIGURATION")
            expectError(try await edge.call("tomakomai/kokuho", "admin", .GET, "/admin/journal"), 403, "PEER_NOT_AUTHORIZED")
        }
    }

    @Test("flags set through the admin API take effect at once")
    func flags() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            let serial = try #require(edge.people(of: "tomakomai") { entry, _ in entry.addressNumber.short == mover }.first?.1.serial)
            let sapporo = try #require(edge.people(of: "sapporo") { _, person in person.serial == serial }.first?.0.addressNumber.short)
            let set = try await edge.call(
                "sapporo-admin", "admin", .POST, "/admin/flags", json: ["organization": "sapporo", "addressNumber": sapporo, "kind": "nondisclosure"])
            #expect(set.status == 200, "\(set.text)")
            let answer = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover))
            #expect(answer.json["providerNondisclosure"] as? Bool == true)
            expectError(
                try await edge.call(
                    "sapporo-admin", "admin", .POST, "/admin/flags",
                    json: ["organization": "sapporo", "addressNumber": "9999999", "kind": "nondisclosure"]),
                404, "UNKNOWN_PERSON")
            expectError(
                try await edge.call("sapporo-admin", "admin", .POST, "/admin/flags", json: ["organization": "sapporo", "kind": "shrug"]), 400,
                "INVALID_REQUEST")
        }
    }
}
