import Foundation
import Logging
import NIOCore
import NIOHTTP1
import RenkeiConfig
import RenkeiCore
import RenkeiEdge
import RenkeiNodes
import RenkeiPKI
import RenkeiTestSupport
import RenkeiWire
import Testing

/// Issue 12: the boundary is the 事務, not the 機関. Each case goes over the real path (mutual
/// TLS to the edge, or to the 中間サーバー's wire port) and asserts the exact code.
@Suite("Per-事務 access", .queuedTimeLimit)
struct AccessTests {
    /// A full 地方税関係情報 副本 of `addressNumber` for `recordKey`.
    static func taxEntry(_ addressNumber: String, recordKey: String = "2021") -> [String: Any] {
        [
            "addressNumber": addressNumber, "information": "TM00000000000002", "dataSet": "0001", "recordKey": recordKey,
            "items": [["code": "K0001", "value": recordKey], ["code": "K0002", "value": "2020"]]
                + ["K0003", "K0004", "K0005", "K0006", "K0007", "K0008", "K0009"].map { ["code": $0, "value": "0"] },
        ]
    }

    @Test("a 受付番号 and its result are read only by the system that asked; 受付番号 are random, not a counter")
    func resultsBelongToTheAskingSystem() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            let first = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover))
            let second = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover))
            let reception = try #require(first.json["receptionNumber"] as? String, "\(first.text)")
            let next = try #require(second.json["receptionNumber"] as? String)
            #expect(reception.wholeMatch(of: /R[0-9A-F]{24}/) != nil, "\(reception)")
            #expect(reception.prefix(13) != next.prefix(13), "two 受付番号 in a row share no counter prefix: \(reception) \(next)")

            let own = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/inquiries/\(reception)")
            #expect(own.status == 200 && own.json["outcome"] as? String == "provided", "\(own.text)")
            #expect(own.json["records"] as? [Any] != nil)

            // 税 of the same 機関 may not read 国保's result, 副本 included.
            let other = try await edge.call("tomakomai/zei", "atena-tomakomai", .GET, "/v1/inquiries/\(reception)")
            expectError(other, 403, "SYSTEM_NOT_AUTHORIZED")
            #expect((other.json["message"] as? String)?.contains("was not asked by tomakomai/zei") == true, "\(other.text)")
            #expect(!other.text.contains("K0001"), "no 副本 in the refusal")
        }
    }

    @Test("a system registers and deletes 副本 only of what its 事務 provides")
    func registrationFollowsTheSystemsInformation() async throws {
        try await withEdge { edge in
            let resident = try #require(edge.people(of: "tomakomai") { _, _ in true }.first?.0.addressNumber.short)
            // 苫小牧市's 国保 system provides 医療保険給付関係情報, not 地方税関係情報.
            let kokuho = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/duplicates", json: ["userId": "user01", "entries": [Self.taxEntry(resident)]])
            expectError(kokuho, 403, "SYSTEM_NOT_AUTHORIZED")
            #expect(
                (kokuho.json["message"] as? String)?.contains("registers 副本 of TM90000000000001 only, not TM00000000000002") == true,
                "\(kokuho.text)")
            let deletion = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .DELETE, "/v1/duplicates/\(resident)/TM00000000000002/0001/2021?userId=user01")
            expectError(deletion, 403, "SYSTEM_NOT_AUTHORIZED")

            // Its 税 system does.
            let zei = try await edge.call(
                "tomakomai/zei", "atena-tomakomai", .POST, "/v1/duplicates", json: ["userId": "user01", "entries": [Self.taxEntry(resident)]])
            #expect(zei.status == 200 && zei.json["registered"] as? Int == 1, "\(zei.text)")
            let deleted = try await edge.call(
                "tomakomai/zei", "atena-tomakomai", .DELETE, "/v1/duplicates/\(resident)/TM00000000000002/0001/2021?userId=user01")
            #expect(deleted.status == 200 && deleted.json["deleted"] as? Int == 1, "\(deleted.text)")

            // A person the 機関 does not have.
            let nobody = try await edge.call(
                "tomakomai/zei", "atena-tomakomai", .POST, "/v1/duplicates", json: ["userId": "user01", "entries": [Self.taxEntry("999999999")]])
            expectError(nobody, 404, "UNKNOWN_PERSON")
        }
    }

    @Test(
        "a member of staff reads back the 副本 of what their 事務 provides (audited under their name); without a token OPERATOR_REQUIRED, another 事務's SYSTEM_NOT_AUTHORIZED"
    )
    func duplicatesAreReadByStaffOfTheirSystem() async throws {
        try await withEdge { edge in
            let resident = try #require(edge.people(of: "tomakomai") { _, _ in true }.first?.0.addressNumber.short)
            let registered = try await edge.call(
                "tomakomai/zei", "atena-tomakomai", .POST, "/v1/duplicates",
                json: ["userId": "user01", "entries": [Self.taxEntry(resident, recordKey: "2021")]])
            #expect(registered.status == 200, "\(registered.text)")
            let issued = try await edge.call("tomakomai-admin", "admin", .POST, "/admin/staff/tomakomai/user01/tokens")
            let token = try #require(issued.json["secret"] as? String, "\(issued.text)")

            let read = try await edge.call("tomakomai/zei", "atena-tomakomai", .GET, "/v1/duplicates/\(resident)", bearer: token)
            #expect(read.status == 200, "\(read.text)")
            let records = try #require(read.json["records"] as? [[String: Any]])
            let record = try #require(records.first { $0["recordKey"] as? String == "2021" }, "\(read.text)")
            #expect(record["information"] as? String == "TM00000000000002")
            let items = try #require(record["items"] as? [[String: Any]])
            #expect(items.map { $0["code"] as? String } == ["K0001", "K0002", "K0003", "K0004", "K0005", "K0006", "K0007", "K0008", "K0009"])
            #expect(items.first?["value"] as? String == "2021")
            #expect(records.allSatisfy { $0["information"] as? String == "TM00000000000002" }, "only what 税 provides")

            expectError(try await edge.call("tomakomai/zei", "atena-tomakomai", .GET, "/v1/duplicates/\(resident)"), 403, "OPERATOR_REQUIRED")
            expectError(
                try await edge.call(
                    "tomakomai/zei", "atena-tomakomai", .GET, "/v1/duplicates/\(resident)?information=TM90000000000001", bearer: token),
                403, "SYSTEM_NOT_AUTHORIZED")
            expectError(
                try await edge.call("tomakomai/zei", "atena-tomakomai", .GET, "/v1/duplicates/\(resident)?person=1", bearer: token), 400,
                "INVALID_REQUEST")
            expectError(
                try await edge.call("tomakomai/zei", "atena-tomakomai", .GET, "/v1/duplicates/999999999", bearer: token), 404, "UNKNOWN_PERSON")
            // 国保 provides 医療保険給付関係情報: the same person's 地方税関係情報 is not in its answer.
            let kokuho = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/duplicates/\(resident)", bearer: token)
            #expect(kokuho.status == 200, "\(kokuho.text)")
            #expect((kokuho.json["records"] as? [[String: Any]])?.contains { $0["information"] as? String == "TM00000000000002" } == false)

            let audit = try await #require(edge.network.stores["ms-municipal"]).auditEvents()
            #expect(audit.contains { $0.kind == .duplicateRead && $0.actor?.hasPrefix("tomakomai/zei by user01") == true }, "audited")
        }
    }

    @Test("a business system of a 機関 with an AddressSystem may not go to the 中間サーバー directly")
    func noBypassOfTheAddressSystem() async throws {
        try await withEdge { edge in try await Self.bypass(edge) }
    }

    static func bypass(_ edge: EdgeHarness) async throws {
        do {
            let endpoint = try #require(edge.network.endpoints.endpoint("ms-municipal"))
            let client = try RPCClient(
                configuration: .init(target: endpoint, expectedPeer: "ms-municipal"),
                credentials: edge.network.pki.credentials(for: "tomakomai/zei"), logger: Logger(label: "test"))
            var registration = DuplicateRegistration()
            registration.tenant = try #require(edge.topology.organization(id: "tomakomai")).code.rawValue
            registration.entries = [
                .init(
                    record: try DuplicateRecord(
                        informationCode: InformationCode("TM00000000000002"), dataSet: "0001", recordKey: "2021", version: 1, publicationDate: nil,
                        endDate: nil,
                        items: []), addressNumber: "1000001")
            ]
            do throws(RenkeiError) {
                _ = try await client.call(Methods.registerDuplicates, registration, deadline: .now() + .seconds(10))
                Issue.record("the 中間サーバー took 副本 from a business system past its AddressSystem")
            } catch {
                #expect(error.code == .peerNotAuthorized, "\(error)")
                #expect(error.message.contains("through its 団体内統合宛名システム atena-tomakomai"), "\(error.message)")
            }
            var search = RecordSearch()
            search.tenant = registration.tenant
            do throws(RenkeiError) {
                _ = try await client.call(Methods.records, search, deadline: .now() + .seconds(10))
                Issue.record("the 中間サーバー gave records to a business system past its AddressSystem")
            } catch {
                #expect(error.code == .peerNotAuthorized, "\(error)")
            }
            await client.shutdown()
        }
    }

    @Test("a system reads the 情報提供等記録 of its own 事務 only")
    func recordsOfTheOwnJimu() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            let asked = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover))
            let reception = try #require(asked.json["receptionNumber"] as? String)
            func records(_ system: String) async throws -> [[String: Any]] {
                let answer = try await edge.call(system, "atena-tomakomai", .GET, "/v1/records?limit=100")
                #expect(answer.status == 200, "\(answer.text)")
                return answer.json["records"] as? [[String: Any]] ?? []
            }
            let kokuho = try await records("tomakomai/kokuho")
            #expect(kokuho.contains { $0["receptionNumber"] as? String == reception }, "国保 sees its inquiry under item 42")
            let zei = try await records("tomakomai/zei")
            #expect(!zei.contains { $0["receptionNumber"] as? String == reception }, "税 does not see 国保's inquiry")
            #expect(
                zei.allSatisfy { $0["item"] as? String == "27" || ($0["information"] as? [String])?.contains("TM00000000000002") == true }, "\(zei)")
        }
    }

    /// 苫小牧市's 税 system marked disabled, 札幌市's removed from the topology.
    static func disableTaxSystems(_ topology: inout Topology) {
        var systems = [Topology.BusinessSystemSpec]()
        for system in topology.businessSystems where system.id != "sapporo/zei" {
            let disabled = system.id == "tomakomai/zei"
            systems.append(
                Topology.BusinessSystemSpec(
                    id: system.id, name: system.name, organization: system.organization, items: system.items, provides: system.provides,
                    disabled: disabled, marksNondisclosure: system.marksNondisclosure))
        }
        topology.businessSystems = systems
    }

    @Test("a system disabled in the topology, or removed from it, is refused on every operation")
    func disabledAndRemovedSystems() async throws {
        try await withEdge(adjust: Self.disableTaxSystems) { edge in try await Self.disabled(edge) }
    }

    static func disabled(_ edge: EdgeHarness) async throws {
        do {
            // The removed system still holds a certificate from the network's CA.
            let sapporo = try #require(edge.topology.organization(id: "sapporo"))
            try edge.network.pki.ensure([CertificateSubject(name: "sapporo/zei", role: .businessSystem, organizationCode: sapporo.code)])
            for path in ["/v1/records", "/v1/errors", "/v1/inquiries/R0"] {
                let disabled = try await edge.call("tomakomai/zei", "atena-tomakomai", .GET, path)
                expectError(disabled, 403, "SYSTEM_NOT_AUTHORIZED")
                #expect((disabled.json["message"] as? String)?.contains("is disabled in the topology") == true, "\(disabled.text)")
            }
            // A system removed from the topology is no holder of it: its handshake is refused.
            do {
                let removed = try await edge.call("sapporo/zei", "atena-sapporo", .GET, "/v1/records")
                Issue.record("a removed system was answered: \(removed.status) \(removed.text)")
            } catch {
                // TLS 1.3: the client learns of the refusal as a reset or an unclean close, as
                // the timing falls; the edge's journal says exactly what was refused.
            }
            let journal = try await edge.call("admin", "admin", .GET, "/admin/journal?interface=tls&failures=true")
            let refusal = (journal.json["entries"] as? [[String: Any]])?.first
            #expect(refusal?["code"] as? String == "UNAUTHENTICATED", "\(journal.text.prefix(800))")
            #expect(
                (refusal?["message"] as? String)?.hasSuffix(
                    "sapporo/zei (business-system, 機関コード 0101100200000000) is not a holder of this topology; its certificate was issued for another")
                    == true, "\(journal.text.prefix(800))")
            let registration = try await edge.call(
                "tomakomai/zei", "atena-tomakomai", .POST, "/v1/duplicates", json: ["userId": "user01", "entries": [Self.taxEntry("1000001")]])
            expectError(registration, 403, "SYSTEM_NOT_AUTHORIZED")
            // The wire path refuses it too.
            let client = try LinkageClient.connect(
                as: "tomakomai/zei", topology: edge.topology, credentials: edge.network.pki.credentials(for: "tomakomai/zei"),
                logger: Logger(label: "test")
            ) { edge.network.endpoints.endpoint($0) }
            let question = try InquiryQuestion(item: "27", provider: "tomakomai", information: "TAX", topology: edge.topology)
            do throws(RenkeiError) {
                _ = try await client.inquire(.addressNumber("1000001"), question, deadline: .now() + .seconds(10))
                Issue.record("a disabled system inquired")
            } catch {
                #expect(error.code == .systemNotAuthorized, "\(error)")
            }
            await client.shutdown()
        }
    }
}
