import Foundation
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiStore
import RenkeiTestSupport
import RenkeiWire
import Testing

@Suite("Three parties agree", .queuedTimeLimit)
struct ReconciliationTests {
    @Test(
        "a provision that completes after the inquirer's deadline (latency injected at the provider) is recorded late by the provider; reconciliation records it late at the network system and the inquirer too, with the provider's time, once"
    )
    func lateProvision() async throws {
        try await withTestNetwork { net in
            let sapporo = try net.organization("sapporo")
            let (entry, _) = try net.person(of: "tomakomai") { entry, person in
                person.formerCity == "sapporo" && entry.linkCodeAcquired && net.hasLinkCode("sapporo", serial: person.serial)
            }
            net.network.control.faults.add(kind: .latency(.fixed(milliseconds: 16_000)), target: Fault.Target(tenant: "sapporo"), count: 1)
            let client = try net.client(as: "tomakomai/kokuho", to: "atena-tomakomai")
            var request = AddresseeInquiryRequest()
            request.person = .addressNumber(entry.addressNumber.rawValue)
            request.question = query(item: "42", provider: sapporo, information: "TM00000000000002")
            do throws(RenkeiError) {
                _ = try await client.call(Methods.addresseeInquire, request, deadline: .now() + .seconds(8))
                Issue.record("an answer came within the deadline despite the latency")
            } catch {
                #expect(error.code == .deadlineExceeded, "\(error)")
            }
            await client.shutdown()
            let municipal = try #require(net.stores["ms-municipal"])
            let nws = try #require(net.stores["nws"])
            // The provider finishes after the caller gave up: wait (bounded) for its record.
            let late = try await eventually(within: 45) { try await municipal.records(RecordQuery(party: .provider, outcome: .late)).first }
            let provider = try #require(late, "the provider recorded the late provision")
            let reception = provider.receptionNumber
            #expect(try await nws.records(RecordQuery(receptionNumber: reception)).first?.outcome == .timedOut)

            let report = try await net.network.reconcileRecords(settled: .zero)
            #expect(report.settled.count == 2, "\(report)")
            #expect(report.disagreements.isEmpty, "\(report.disagreements)")
            let atNetwork = try #require(try await nws.records(RecordQuery(receptionNumber: reception)).first)
            let atInquirer = try #require(try await municipal.records(RecordQuery(party: .inquirer, receptionNumber: reception)).first)
            for record in [atNetwork, atInquirer] {
                #expect(record.outcome == .late)
                #expect(record.providedAt == provider.providedAt)
                #expect(record.requestedAt == provider.requestedAt)
            }
            let again = try await net.network.reconcileRecords(settled: .zero)
            #expect(again.settled.isEmpty && again.disagreements.isEmpty, "\(again)")
        }
    }
}
