import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiStore
import RenkeiTestSupport
import RenkeiWire
import Testing

@Suite("Manual answers bound to the exchange the network system permitted", .queuedTimeLimit)
struct ManualAnswerTests {
    /// 苫小牧市 国保 asks 札幌市 about a mover whom 札幌市 has flagged 自動応答不可: the inquiry
    /// waits in 札幌市's queue. Returns the operator's and the business system's clients.
    static func waitingForStaff(
        _ net: TestNetwork
    ) async throws -> (
        admin: RPCClient, kokuho: RPCClient, entry: RegisterEntry, waiting: InquiryResult
    ) {
        let sapporo = try net.organization("sapporo")
        let (entry, mover) = try net.person(of: "tomakomai") { entry, person in
            person.formerCity == "sapporo" && entry.linkCodeAcquired && net.hasLinkCode("sapporo", serial: person.serial)
        }
        let (sapporoEntry, _) = try net.person(of: "sapporo") { _, person in person.serial == mover.serial }
        let admin = try net.client(as: "admin", to: "ms-municipal")
        var flags = FlagRegistration()
        flags.tenant = sapporo.code.rawValue
        var flag = FlagRegistration.Flag()
        flag.integratedAddressNumber = sapporoEntry.integratedAddressNumber.rawValue
        flag.kind = .manualResponse
        flag.enabled = true
        flags.flags = [flag]
        _ = try await admin.call(Methods.flags, flags, deadline: deadline())
        let kokuho = try net.client(as: "tomakomai/kokuho", to: "atena-tomakomai")
        var inquiry = AddresseeInquiryRequest()
        inquiry.person = .addressNumber(entry.addressNumber.rawValue)
        inquiry.question = query(item: "42", provider: sapporo, information: "TM00000000000002")
        return (admin, kokuho, entry, try await kokuho.call(Methods.addresseeInquire, inquiry, deadline: deadline()))
    }

    static func code(_ body: () async throws -> Void) async -> ErrorCode? {
        do { try await body() } catch let error as RenkeiError { return error.code } catch { return nil }
        return nil
    }

    @Test(
        "a forged manual answer is refused at the network system (UNKNOWN_RECEPTION_NUMBER, PERMIT_MISMATCH) and at the inquirer's tenant (UNKNOWN_RECEPTION_NUMBER); the real one is taken once, and its repeat changes nothing"
    )
    func forgedAndRepeated() async throws {
        try await withTestNetwork { net in
            let (admin, kokuho, entry, waiting) = try await Self.waitingForStaff(net)
            let sapporo = try net.organization("sapporo")
            let tomakomai = try net.organization("tomakomai")
            #expect(waiting.status == .awaitingManual)
            let queued = try #require(
                try await admin.call(Methods.queue, QueueRequest(tenant: sapporo.code.rawValue), deadline: deadline()).entries.first)
            #expect(queued.permitID.count == 16)

            // What the provider's 中間サーバー would send, built from the queue entry.
            var delivery = ProvisionDelivery()
            delivery.receptionNumber = queued.receptionNumber
            delivery.inquirer = tomakomai.code.rawValue
            delivery.provider = sapporo.code.rawValue
            delivery.question = queued.question
            delivery.requestedAtMicros = queued.request.requestedAtMicros
            delivery.providerLinkCode = queued.request.providerLinkCode
            delivery.permitID = queued.permitID
            delivery.result.outcome = .noData
            delivery.result.providedAtMicros = 1_800_000_000_000_000

            let provider = try net.client(as: "ms-municipal", to: "nws")
            var unknown = delivery
            unknown.receptionNumber = "R0FORGED0000000000000001"
            #expect(await Self.code { _ = try await provider.call(Methods.networkDeliver, unknown, deadline: deadline()) } == .unknownReceptionNumber)
            var otherPermit = delivery
            otherPermit.permitID = Array(repeating: 7, count: 16)
            #expect(await Self.code { _ = try await provider.call(Methods.networkDeliver, otherPermit, deadline: deadline()) } == .permitMismatch)

            // The network system itself cannot complete an inquiry that waits for nothing.
            let asNetwork = try net.client(as: "nws", to: "ms-municipal")
            var answered = AddresseeInquiryRequest()
            answered.person = .addressNumber(entry.addressNumber.rawValue)
            answered.question = query(item: "42", provider: try net.organization("kyokai-kenpo"), information: "TM00000000000002")
            let direct = try? await kokuho.call(Methods.addresseeInquire, answered, deadline: deadline())
            var completed = delivery
            completed.receptionNumber = direct?.receptionNumber ?? "R0NONE00000000000000001"
            completed.provider = try net.organization("kyokai-kenpo").code.rawValue
            #expect(await Self.code { _ = try await asNetwork.call(Methods.deliver, completed, deadline: deadline()) } == .unknownReceptionNumber)

            // The real answer, through the queue; then the same delivery again, as a retry would send it.
            var resolution = QueueResolution()
            resolution.tenant = sapporo.code.rawValue
            resolution.receptionNumber = queued.receptionNumber
            resolution.provide = false
            _ = try await admin.call(Methods.resolve, resolution, deadline: deadline())
            let reception = try ReceptionNumber(queued.receptionNumber)
            let before = try await net.stores["ms-municipal"]!.records(RecordQuery(receptionNumber: reception)).count
            let nwsBefore = try await net.stores["nws"]!.records(RecordQuery(receptionNumber: reception)).count
            let queue = try await admin.call(Methods.queue, QueueRequest(tenant: sapporo.code.rawValue), deadline: deadline())
            #expect(queue.entries.isEmpty)
            var repeated = delivery
            repeated.result.outcome = .withheld
            repeated.result.providedAtMicros =
                try await net.stores["ms-municipal"]!.records(RecordQuery(receptionNumber: reception))
                .first { $0.party == .provider && $0.outcome == .withheld }?.providedAt ?? 0
            #expect(try await provider.call(Methods.networkDeliver, repeated, deadline: deadline()).accepted)
            #expect(try await net.stores["ms-municipal"]!.records(RecordQuery(receptionNumber: reception)).count == before)
            let taken = try await net.stores["ms-municipal"]!.records(RecordQuery(receptionNumber: reception))
                .filter { $0.party == .inquirer && $0.outcome == .withheld }
            #expect(taken.count == 1, "the inquirer took the answer once")
            #expect(try await net.stores["nws"]!.records(RecordQuery(receptionNumber: reception)).count == nwsBefore)
            for client in [admin, kokuho, provider, asNetwork] { await client.shutdown() }
        }
    }

    @Test(
        "an answer committed at the provider whose delivery fails (the network system refuses it once) stays in the outbox and is delivered on the next tick, and taken once"
    )
    func outboxRedelivers() async throws {
        try await withTestNetwork { net in
            let (admin, kokuho, _, waiting) = try await Self.waitingForStaff(net)
            let sapporo = try net.organization("sapporo")
            #expect(waiting.status == .awaitingManual)
            let reception = try ReceptionNumber(waiting.receptionNumber)

            // The next request the network system serves (the delivery) fails, as a crash would lose it.
            net.network.control.faults.add(kind: .error(.unavailable, ""), target: Fault.Target(node: "nws"), count: 1)
            var resolution = QueueResolution()
            resolution.tenant = sapporo.code.rawValue
            resolution.receptionNumber = waiting.receptionNumber
            resolution.provide = false
            #expect(try await admin.call(Methods.resolve, resolution, deadline: deadline()).accepted, "committed at the provider")
            #expect(net.network.control.faults.faults.isEmpty, "the delivery met the fault")

            /// The withheld records `node` keeps of the exchange, once it has any.
            func withheld(at node: String, party: ProvisionRecord.Party? = nil) async throws -> [ProvisionRecord] {
                let store = try #require(net.stores[node])
                return try await eventually {
                    let found = try await store.records(RecordQuery(party: party, receptionNumber: reception)).filter { $0.outcome == .withheld }
                    return found.isEmpty ? nil : found
                } ?? []
            }
            #expect(try await withheld(at: "ms-municipal", party: .inquirer).count == 1, "delivered from the outbox, once")
            // The network system records the relay once the inquirer has taken it.
            #expect(try await withheld(at: "nws").count == 1)
            await admin.shutdown()
            await kokuho.shutdown()
        }
    }
}
