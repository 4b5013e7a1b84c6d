import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI
import RenkeiStore
import RenkeiTestSupport
import RenkeiWire
import Testing

@Suite("Inquiries across every node over mutual TLS", .queuedTimeLimit)
struct InquiryEndToEndTests {
    @Test("苫小牧市 国保 asks 札幌市 for a mover's 地方税関係情報 under item 42 and gets Sapporo's 副本", arguments: Topology.PermitProtection.allCases)
    func seedInquiry(permitProtection: Topology.PermitProtection) async throws {
        try await withTestNetwork(permitProtection: permitProtection) { net in
            let sapporo = try net.organization("sapporo")
            let (moverEntry, mover) = try net.person(of: "tomakomai") { entry, person in
                person.formerCity == "sapporo" && entry.linkCodeAcquired && net.hasLinkCode("sapporo", serial: person.serial)
            }
            let client = try net.client(as: "tomakomai/kokuho", to: "atena-tomakomai")
            var request = AddresseeInquiryRequest()
            request.person = .addressNumber(moverEntry.addressNumber.rawValue)
            request.question = query(item: "42", provider: sapporo, information: "TM00000000000002")
            let result = try await client.call(Methods.addresseeInquire, request, deadline: deadline())

            #expect(result.outcome == .provided)
            #expect(result.provider == sapporo.code.rawValue)
            let fiscalYear = net.topology.population.referenceDate.fiscalYear
            let years = Set(result.recordSet.records.map(\.recordKey))
            #expect(years == [String(fiscalYear - 1), String(fiscalYear)])
            let income = result.recordSet.records.first?.items.first { $0.code == "K0004" }?.value
            #expect(income == String(mover.income), "the 副本 is the mover's own 合計所得金額")
            #expect(!result.receptionNumber.isEmpty)

            // All three parties recorded the exchange, each with the 符号 it knows.
            let reception = try ReceptionNumber(result.receptionNumber)
            for node in ["ms-municipal", "nws"] {
                let records = try await net.stores[node]!.records(RecordQuery(receptionNumber: reception))
                #expect(!records.isEmpty, "\(node) recorded \(reception)")
                #expect(
                    records.allSatisfy { $0.outcome == .provided && $0.item.legacy?.description == "42" && $0.item.ordinance?.description == "69" })
            }
            let parties = Set(try await net.stores["ms-municipal"]!.records(RecordQuery(receptionNumber: reception)).map(\.party))
            #expect(parties == [.inquirer, .provider])
            await client.shutdown()
        }
    }

    @Test("item 42 (ordinance 69) does not let 苫小牧市 ask 日本年金機構 for 年金給付関係情報, and item 45, which did, has no ordinance counterpart")
    func deniedInquiry() async throws {
        try await withTestNetwork { net in
            let (entry, _) = try net.person(of: "tomakomai") { entry, person in person.receivesPension && entry.linkCodeAcquired }
            let client = try net.client(as: "tomakomai/kokuho", to: "atena-tomakomai")
            var request = AddresseeInquiryRequest()
            request.person = .addressNumber(entry.addressNumber.rawValue)
            request.question = query(item: "42", provider: try net.organization("nenkin"), information: "TM90000000000004")
            do throws(RenkeiError) {
                _ = try await client.call(Methods.addresseeInquire, request, deadline: deadline())
                Issue.record("a 別表第二 violation was answered")
            } catch {
                #expect(error.code == .ruleNotPermitted)
                #expect(error.message.contains("第42項"))
                #expect(error.message.contains("日本年金機構"))
            }
            // Item 45 permitted this under 別表第二; the 2024 ordinance in force today has no item for it.
            request.question.item = "45"
            do throws(RenkeiError) {
                _ = try await client.call(Methods.addresseeInquire, request, deadline: deadline())
                Issue.record("別表第二 第45項 was answered after the ordinance replaced it")
            } catch {
                #expect(error.code == .itemNotInForce)
                #expect(error.message.contains("別表第二 第45項 has no counterpart in the 2024 ordinance"))
            }
            let denials = try await net.stores["nws"]!.records(RecordQuery()).filter { $0.outcome == .denied }
            #expect(denials.contains { $0.errorCode == ErrorCode.ruleNotPermitted.rawValue })
            await client.shutdown()
        }
    }

    @Test("a person without a 符号 is refused with LINK_CODE_NOT_ACQUIRED")
    func linkCodeMissing() async throws {
        try await withTestNetwork { net in
            let (entry, _) = try net.person(of: "tomakomai") { entry, person in !entry.linkCodeAcquired && person.city == "tomakomai" }
            let client = try net.client(as: "tomakomai/kokuho", to: "atena-tomakomai")
            var request = AddresseeInquiryRequest()
            request.person = .addressNumber(entry.addressNumber.rawValue)
            request.question = query(item: "42", provider: try net.organization("sapporo"), information: "TM00000000000002")
            do throws(RenkeiError) {
                _ = try await client.call(Methods.addresseeInquire, request, deadline: deadline())
                Issue.record("an inquiry without 符号 was answered")
            } catch {
                #expect(error.code == .linkCodeNotAcquired)
                #expect(error.message.contains("符号が未取得です"))
            }
            await client.shutdown()
        }
    }

    @Test("全国健康保険協会 asks 苫小牧市 (as 医療保険者) for 医療保険給付関係情報 under item 2")
    func providerRole() async throws {
        try await withTestNetwork { net in
            let (entry, person) = try net.person(of: "kyokai-kenpo") { entry, person in
                entry.linkCodeAcquired && person.city == "tomakomai" && person.formerlyNationalHealthInsurance
                    && net.hasLinkCode("tomakomai", serial: person.serial)
            }
            let client = try net.client(as: "kyokai-kenpo/kyufu", to: "ms-insurers")
            var request = TenantInquiryRequest()
            request.tenant = try net.organization("kyokai-kenpo").code.rawValue
            request.person = .addressNumber(entry.addressNumber.rawValue)
            request.question = query(item: "2", provider: try net.organization("tomakomai"), information: "TM90000000000001")
            let result = try await client.call(Methods.tenantInquire, request, deadline: deadline())
            #expect(result.outcome == .provided)
            #expect(result.recordSet.records.contains { $0.items.contains { $0.value == "苫小牧市国民健康保険" } }, "\(person.name)'s 国保 資格 comes from 苫小牧市")
            await client.shutdown()
        }
    }

    @Test("a business system whose certificate comes from another CA is refused at the handshake")
    func foreignClient() async throws {
        try await withTestNetwork(seed: false) { net in
            let stranger = try TestPKI().credentials(
                "tomakomai/kokuho", role: .businessSystem, organizationCode: try net.organization("tomakomai").code)
            let client = try RPCClient(
                configuration: .init(target: net.network.endpoints.endpoint("atena-tomakomai")!, expectedPeer: "atena-tomakomai"),
                credentials: stranger, logger: TestNetwork.logger
            )
            var request = AddresseeInquiryRequest()
            request.person = .addressNumber("1000001")
            request.question = query(item: "42", provider: try net.organization("sapporo"), information: "TM00000000000002")
            do throws(RenkeiError) {
                _ = try await client.call(Methods.addresseeInquire, request, deadline: deadline())
                Issue.record("a client from another CA was served")
            } catch {
                #expect(error.code == .certificateProblem, "\(error)")
            }
            await client.shutdown()
        }
    }
}
