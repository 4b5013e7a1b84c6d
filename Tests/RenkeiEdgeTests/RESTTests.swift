import Foundation
import NIOHTTP1
import RenkeiCore
import RenkeiEdge
import RenkeiPKI
import RenkeiTestSupport
import Testing

@Suite("REST over HTTPS with client certificates", .queuedTimeLimit)
struct RESTTests {
    @Test("a synchronous inquiry returns Sapporo's 副本 with the two status levels")
    func synchronousInquiry() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            let response = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover))
            #expect(response.status == 200, "\(response.text)")
            let body = response.json
            #expect(body["status"] as? String == "completed")
            #expect(body["outcome"] as? String == "provided")
            #expect((body["statusCodes"] as? [String: String]) == ["detail": "09", "information": "01"])
            #expect((body["records"] as? [[String: Any]])?.count == 2)
            #expect((body["provider"] as? [String: Any])?["name"] as? String == "札幌市")
            let reception = try #require(body["receptionNumber"] as? String)
            let again = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/inquiries/\(reception)")
            #expect(again.status == 200)
            #expect(again.json["receptionNumber"] as? String == reception)
        }
    }

    @Test("an asynchronous inquiry answers 202 with its 受付番号, and polling returns the result")
    func asynchronousInquiry() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            let accepted = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover, extra: ["mode": "async"]))
            #expect(accepted.status == 202)
            #expect(accepted.json["status"] as? String == "processing")
            #expect((accepted.json["statusCodes"] as? [String: String])?["detail"] == "01")
            let reception = try #require(accepted.json["receptionNumber"] as? String)
            var result = accepted
            // Poll as a business system would; each poll is a real request, and the answer comes
            // within a few of them.
            for _ in 0..<200 where result.json["status"] as? String == "processing" {
                result = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/inquiries/\(reception)")
            }
            #expect(result.json["status"] as? String == "completed")
            #expect(result.json["outcome"] as? String == "provided")
        }
    }

    @Test("asking by 個人番号 gives the same answer; the 個人番号 goes no further than the address system")
    func byMyNumber() async throws {
        try await withEdge { edge in
            let mover = try #require(
                edge.people(of: "tomakomai") { entry, person in
                    person.formerCity == "sapporo" && entry.linkCodeAcquired && edge.hasLinkCode("sapporo", serial: person.serial)
                }.first)
            let response = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries",
                json: [
                    "myNumber": mover.1.myNumber.rawValue, "item": "42", "provider": "0101100200000000", "information": "地方税関係情報",
                    "userId": "user01",
                ])
            #expect(response.status == 200, "\(response.text)")
            #expect(response.json["outcome"] as? String == "provided")
        }
    }

    @Test("副本 registered over REST answer the next inquiry; deleted, they are gone")
    func duplicates() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            let serial = try #require(edge.people(of: "tomakomai") { entry, _ in entry.addressNumber.short == mover }.first?.1.serial)
            // 札幌市's tax system registers a new 副本 for the mover, by 札幌市's own 宛名番号.
            let sapporoNumber = try #require(edge.people(of: "sapporo") { _, person in person.serial == serial }.first?.0.addressNumber.short)
            let registered = try await edge.call(
                "sapporo/zei", "atena-sapporo", .POST, "/v1/duplicates",
                json: [
                    "userId": "user01",
                    "entries": [
                        [
                            "addressNumber": sapporoNumber, "information": "TM00000000000002", "dataSet": "0001", "recordKey": "2020", "version": 2,
                            "publicationDate": "2020-06-01",
                            "items": [
                                ["code": "K0001", "value": "2020"], ["code": "K0002", "value": "2019"],
                                ["code": "K0004", "reasonOfNull": "NotConvered"],
                            ]
                                + ["K0003", "K0005", "K0006", "K0007", "K0008", "K0009"].map { ["code": $0, "value": "0"] },
                        ]
                    ],
                ])
            #expect(registered.status == 200, "\(registered.text)")
            #expect(registered.json["registered"] as? Int == 1)

            let answered = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover, extra: ["fiscalYear": "2020"]))
            let record = try #require((answered.json["records"] as? [[String: Any]])?.first)
            #expect(record["recordKey"] as? String == "2020")
            #expect(record["version"] as? Int == 2)
            let items = record["items"] as? [[String: Any]] ?? []
            #expect(items.contains { $0["code"] as? String == "K0004" && $0["reasonOfNull"] as? String == "NotConvered" && $0["value"] == nil })

            let deleted = try await edge.call(
                "sapporo/zei", "atena-sapporo", .DELETE, "/v1/duplicates/\(sapporoNumber)/TM00000000000002/0001/2020?userId=user01")
            #expect(deleted.json["deleted"] as? Int == 1)
            let after = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover, extra: ["fiscalYear": "2020"]))
            #expect(after.json["outcome"] as? String == "no_data")
            #expect((after.json["statusCodes"] as? [String: String])?["information"] == "02")
        }
    }

    @Test("符号取得 over REST runs through J-LIS and the network system; the person can then be asked about")
    func linkCodeAcquisition() async throws {
        try await withEdge { edge in
            let pending = try #require(edge.people(of: "tomakomai") { entry, person in !entry.linkCodeAcquired && person.formerCity == nil }.first)
            let number = pending.0.addressNumber.short
            let before = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(number, provider: "tomakomai"))
            expectError(before, 409, "LINK_CODE_NOT_ACQUIRED")
            let acquired = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/link-codes", json: ["addressNumber": number])
            #expect(acquired.status == 200, "\(acquired.text)")
            #expect(acquired.json["status"] as? String == "acquired")
            let after = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(number, provider: "tomakomai"))
            #expect(after.status == 200, "\(after.text)")
        }
    }

    @Test("records search lists the 機関's own inquiries")
    func records() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            _ = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover))
            _ = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover, extra: ["testMode": true]))
            let real = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/records?item=42&limit=50")
            let test = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/records?test=true")
            let realRecords = real.json["records"] as? [[String: Any]] ?? []
            let testRecords = test.json["records"] as? [[String: Any]] ?? []
            #expect(realRecords.count == 1 && realRecords.first?["provider"] as? String == "札幌市")
            #expect(testRecords.count == 1 && testRecords.first?["testMode"] as? Bool == true, "test-mode records are kept apart")
        }
    }

    @Test("a business system of a 機関 without an address system uses its 中間サーバー's edge")
    func insurerEdge() async throws {
        try await withEdge { edge in
            let insured = try #require(
                edge.people(of: "kyokai-kenpo") { entry, person in
                    entry.linkCodeAcquired && person.city == "tomakomai" && person.formerlyNationalHealthInsurance
                        && edge.hasLinkCode("tomakomai", serial: person.serial)
                }.first)
            let response = try await edge.call(
                "kyokai-kenpo/kyufu", "ms-insurers", .POST, "/v1/inquiries",
                json: inquiry(
                    insured.0.addressNumber.short, item: "2", provider: "tomakomai", information: "IRYO"
                ))
            #expect(response.status == 200, "\(response.text)")
            #expect(response.json["outcome"] as? String == "provided")
        }
    }

    @Test("negative cases: each refusal has its exact status and code")
    func refusals() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            let pending = try #require(edge.people(of: "tomakomai") { entry, _ in !entry.linkCodeAcquired }.first).0.addressNumber.short
            let kokuho = { (json: [String: Any]) in try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: json) }

            expectError(try await kokuho(inquiry("999999")), 404, "UNKNOWN_PERSON")
            expectError(try await kokuho(inquiry("12ab")), 400, "INVALID_IDENTIFIER")
            expectError(try await kokuho(inquiry(mover, provider: "nenkin", information: "NENKIN")), 403, "RULE_NOT_PERMITTED")
            expectError(try await kokuho(inquiry(mover, item: "27")), 403, "SYSTEM_NOT_AUTHORIZED")
            expectError(try await kokuho(inquiry(mover, item: "abc")), 400, "INVALID_REQUEST")
            expectError(try await kokuho(inquiry(mover, provider: "nowhere")), 404, "UNKNOWN_ORGANIZATION")
            expectError(try await kokuho(inquiry(mover, information: "XYZ")), 404, "UNKNOWN_INFORMATION_CODE")
            expectError(try await kokuho(inquiry(mover, information: "TM12345678901234")), 404, "UNKNOWN_INFORMATION_CODE")
            expectError(try await kokuho(inquiry(mover, extra: ["procedure": "JT90270000000001"])), 400, "PROCEDURE_MISMATCH")
            expectError(try await kokuho(inquiry(pending)), 409, "LINK_CODE_NOT_ACQUIRED")
            expectError(try await kokuho(inquiry(mover, extra: ["myNumber": "983205673214"])), 400, "INVALID_REQUEST")
            expectError(try await kokuho(["addressNumber": mover, "provider": "sapporo", "information": "TAX"]), 400, "INVALID_REQUEST")
            expectError(try await kokuho(inquiry(mover, extra: ["mode": "later"])), 400, "INVALID_REQUEST")
            expectError(try await kokuho(inquiry(mover, extra: ["timeoutMs": 0])), 400, "INVALID_REQUEST")
            expectError(
                try await kokuho(["myNumber": "983205673215", "item": "42", "provider": "sapporo", "information": "TAX"]), 400, "INVALID_IDENTIFIER")
            expectError(
                try await edge.call("tomakomai/zei", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover)), 403, "SYSTEM_NOT_AUTHORIZED")

            let notJSON = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", text: "{not json", contentType: "application/json")
            expectError(notJSON, 400, "INVALID_REQUEST")
            let huge = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", text: String(repeating: " ", count: 1_200_000),
                contentType: "application/json")
            expectError(huge, 413, "BODY_TOO_LARGE")
            expectError(try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/inquiries/R999"), 404, "UNKNOWN_RECEPTION_NUMBER")
            expectError(try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/nothing-here"), 404, "NOT_FOUND")
            expectError(try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/records?limit=0"), 400, "INVALID_REQUEST")
            expectError(try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/records?since=2025-13-01"), 400, "INVALID_REQUEST")

            // Identity: the certificate decides who may use which edge.
            expectError(
                try await edge.call("sapporo/zei", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover)), 403, "PEER_NOT_AUTHORIZED")
            expectError(try await edge.call("admin", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover)), 403, "PEER_NOT_AUTHORIZED")
            expectError(
                try await edge.call("kyokai-kenpo/kyufu", "ms-insurers", .POST, "/v1/link-codes", json: ["addressNumber": "5000001"]), 403,
                "PEER_NOT_AUTHORIZED")
            expectError(
                try await edge.call(
                    "kyokai-kenpo/kyufu", "ms-insurers", .POST, "/v1/inquiries",
                    json: [
                        "myNumber": "983205673214", "item": "2", "provider": "tomakomai", "information": "IRYO",
                    ]), 400, "INVALID_REQUEST")

            // 副本 registration.
            let register = { (entry: [String: Any]) in
                try await edge.call("tomakomai/zei", "atena-tomakomai", .POST, "/v1/duplicates", json: ["userId": "user01", "entries": [entry]])
            }
            let good: [String: Any] = [
                "addressNumber": mover, "information": "TM00000000000002", "dataSet": "0001", "recordKey": "2019",
                "items": [["code": "K0001", "value": "2019"]],
            ]
            expectError(try await register(good.merging(["information": "TM99999999999999"]) { $1 }), 404, "UNKNOWN_INFORMATION_CODE")
            expectError(try await register(good.merging(["dataSet": "01"]) { $1 }), 400, "INVALID_REQUEST")
            expectError(try await register(good.merging(["addressNumber": "8888888"]) { $1 }), 404, "UNKNOWN_PERSON")
            expectError(try await register(good.merging(["publicationDate": "2019-02-30"]) { $1 }), 400, "INVALID_REQUEST")
            expectError(
                try await edge.call("tomakomai/zei", "atena-tomakomai", .POST, "/v1/duplicates", json: ["userId": "user01", "entries": []]), 400,
                "INVALID_REQUEST")
            expectError(
                try await edge.call("tomakomai/zei", "atena-tomakomai", .DELETE, "/v1/duplicates/\(mover)/TM00000000000002/0001/1999?userId=user01"),
                404,
                "NOT_FOUND")
        }
    }

    @Test("a client whose certificate comes from another CA is refused at the handshake")
    func foreignCertificate() async throws {
        try await withEdge { edge in
            let stranger = try TestPKI().credentials(
                "tomakomai/kokuho", role: .businessSystem, organizationCode: try OrganizationCode("0101213100000000"))
            let client = try HTTPSClient(credentials: stranger)
            let endpoint = try #require(edge.edges["atena-tomakomai"])
            do throws(RenkeiError) {
                _ = try await client.request(.GET, endpoint, path: "/openapi.yaml")
                Issue.record("a certificate from another CA was served")
            } catch {
                #expect(error.code == .unavailable, "\(error)")
            }
        }
    }
}
