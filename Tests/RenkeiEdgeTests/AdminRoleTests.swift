import Foundation
import RenkeiTestSupport
import Testing

/// Issue 12 §3: three operator roles on the admin API, each with its own certificate.
@Suite("Operator roles on the admin API", .queuedTimeLimit)
struct AdminRoleTests {
    @Test("the platform operator sees metadata only, a trainer runs the exercise, a 機関's administrator manages that 機関 only")
    func rolesAreSeparate() async throws {
        try await withEdge { edge in
            let flag: [String: Any] = ["organization": "sapporo", "information": "TAX", "kind": "manual_response"]
            // The platform operator (admin): status, journal, faults; no 機関's data.
            #expect(try await edge.call("admin", "admin", .GET, "/admin/status").status == 200)
            #expect(try await edge.call("admin", "admin", .GET, "/admin/journal?limit=1").status == 200)
            let platformFlag = try await edge.call("admin", "admin", .POST, "/admin/flags", json: flag)
            expectError(platformFlag, 403, "PEER_NOT_AUTHORIZED")
            #expect(
                platformFlag.json["message"] as? String
                    == "admin (admin) may not set flags of 札幌市; only 札幌市's administrator (sapporo-admin) may", "\(platformFlag.text)")
            expectError(try await edge.call("admin", "admin", .GET, "/admin/staff/tomakomai"), 403, "PEER_NOT_AUTHORIZED")
            expectError(try await edge.call("admin", "admin", .GET, "/admin/queue?tenant=sapporo"), 403, "PEER_NOT_AUTHORIZED")

            // A trainer: reset and the journal, not a 機関's flags or staff.
            #expect(try await edge.call("trainer", "admin", .POST, "/admin/reset", json: ["scenario": "seed"]).status == 200)
            #expect(try await edge.call("trainer", "admin", .GET, "/admin/journal?limit=1").status == 200)
            expectError(try await edge.call("trainer", "admin", .POST, "/admin/flags", json: flag), 403, "PEER_NOT_AUTHORIZED")
            expectError(try await edge.call("trainer", "admin", .GET, "/admin/staff/sapporo"), 403, "PEER_NOT_AUTHORIZED")

            // 札幌市's administrator: 札幌市's flags, queue and staff; not 苫小牧市's, not the exercise.
            #expect(try await edge.call("sapporo-admin", "admin", .POST, "/admin/flags", json: flag).status == 200)
            #expect(try await edge.call("sapporo-admin", "admin", .GET, "/admin/queue?tenant=sapporo").status == 200)
            #expect(try await edge.call("sapporo-admin", "admin", .GET, "/admin/staff/sapporo").status == 200)
            let other = try await edge.call("sapporo-admin", "admin", .GET, "/admin/staff/tomakomai")
            expectError(other, 403, "PEER_NOT_AUTHORIZED")
            #expect(
                (other.json["message"] as? String)?.hasPrefix("sapporo-admin (tenant-admin, 機関コード 0101100200000000) may not see the staff of 苫小牧市")
                    == true)
            expectError(try await edge.call("sapporo-admin", "admin", .POST, "/admin/reset", json: ["scenario": "seed"]), 403, "PEER_NOT_AUTHORIZED")
            expectError(try await edge.call("sapporo-admin", "admin", .GET, "/admin/journal"), 403, "PEER_NOT_AUTHORIZED")

            // None of them is a business system, and no business system is an operator.
            expectError(try await edge.call("tomakomai/kokuho", "admin", .GET, "/admin/status"), 403, "PEER_NOT_AUTHORIZED")
            expectError(
                try await edge.call("sapporo-admin", "atena-sapporo", .POST, "/v1/inquiries", json: inquiry("1000001", provider: "tomakomai")), 403,
                "PEER_NOT_AUTHORIZED")
        }
    }

    @Test("the journal keeps no 個人番号: a twelve-digit run in an excerpt is masked")
    func journalMasksMyNumbers() async throws {
        try await withEdge { edge in
            let person = try #require(edge.people(of: "tomakomai") { _, _ in true }.first)
            let myNumber = person.1.myNumber.rawValue
            // A 電文 that does not parse is journaled with an excerpt of its bytes.
            let broken = "<Message><MessageHeader><MSGTypeID>IF_SKI_10101_R01</MSGTypeID></MessageHeader><MessageBody><KojinNo>\(myNumber)</KojinNo>"
            _ = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/xml", text: broken, contentType: "application/xml")
            let journal = try await edge.call("trainer", "admin", .GET, "/admin/journal?failures=true&limit=5")
            #expect(journal.status == 200)
            #expect(journal.text.contains("<KojinNo>############</KojinNo>"), "\(journal.text.prefix(600))")
            #expect(!journal.text.contains(myNumber))
        }
    }
}
