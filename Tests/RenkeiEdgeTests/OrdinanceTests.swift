import Foundation
import RenkeiCore
import RenkeiTestSupport
import Testing

/// Issue 12 §7 over the real path: the seed's inquiries under both numberings, on either side
/// of 2024-05-27, and records that keep both numbers.
@Suite("Both numberings over the edge", .queuedTimeLimit)
struct OrdinanceTests {
    /// A simulation clock set to `date` (JST), whatever today is.
    static func clock(on date: String) throws -> SimulationClock {
        let target = try CivilDate(date).daysSinceEpoch
        return SimulationClock(offset: .seconds(Int64(target - SimulationClock().today().daysSinceEpoch) * 86_400))
    }

    @Test("after the switch the seed's items are accepted as 42 and as 2024:69, and the records keep 42 and 69")
    func bothNumberingsAfterTheSwitch() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            for item in ["42", "2015:42", "2024:69"] {
                let answer = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover, item: item))
                #expect(answer.status == 200 && answer.json["outcome"] as? String == "provided", "\(item): \(answer.text)")
            }
            for item in ["27", "2024:48"] {
                let answer = try await edge.call("tomakomai/zei", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover, item: item))
                #expect(answer.status == 200 && answer.json["outcome"] as? String == "provided", "\(item): \(answer.text)")
            }
            let records = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/records?item=2024:69")
            let list = try #require(records.json["records"] as? [[String: Any]], "\(records.text)")
            #expect(list.count == 3, "the three inquiries, found by their ordinance number: \(records.text)")
            #expect(list.allSatisfy { $0["item"] as? String == "42" && $0["ordinanceItem"] as? String == "69" }, "\(records.text)")
            // 税's inquiry under 48 is not 国保's: its 事務 (27 → 48) is another.
            let zei = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/records?item=27")
            #expect((zei.json["records"] as? [Any])?.isEmpty == true, "\(zei.text)")
        }
    }

    @Test("after the switch an item the ordinance has no counterpart for is refused with ITEM_NOT_IN_FORCE")
    func droppedItemAfterTheSwitch() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            let answer = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover, item: "45", information: "TM90000000000004"))
            expectError(answer, 403, "ITEM_NOT_IN_FORCE")
            #expect((answer.json["message"] as? String)?.contains("別表第二 第45項 has no counterpart in the 2024 ordinance") == true, "\(answer.text)")
        }
    }

    @Test("before the switch 別表第二 decides: 42 is answered, 2024:69 is refused with ITEM_NOT_IN_FORCE")
    func beforeTheSwitch() async throws {
        try await withEdge(clock: try Self.clock(on: "2024-05-26")) { edge in
            let mover = try #require(edge.movers().first)
            let legacy = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover, item: "42"))
            // Permitted by 別表第二 第42項; the seed holds 副本 of the fiscal years around today, so
            // 札幌市 answers that it has none for 2023.
            #expect(legacy.status == 200 && legacy.json["outcome"] as? String == "no_data", "\(legacy.text)")
            #expect(legacy.json["item"] as? String == "42")
            let early = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover, item: "2024:69"))
            expectError(early, 403, "ITEM_NOT_IN_FORCE")
            #expect(
                early.json["message"] as? String == "命令第二条の表 第69項 is in force from 2024-05-27, not on 2024-05-26; cite 別表第二 第42項",
                "\(early.text)")
        }
    }
}
