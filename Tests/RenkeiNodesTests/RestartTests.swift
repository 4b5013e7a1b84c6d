import Crypto
import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiPKI
import RenkeiStore
import RenkeiTestSupport
import RenkeiWire
import Testing

@testable import RenkeiNodes

@Suite("Restart on the same data directory", .queuedTimeLimit)
struct RestartTests {
    @Test("符号, 副本 and used permits survive a restart; a permit used before it is refused after it")
    func restart() async throws {
        try await withScratchDirectory("data") { data in
            try await withScratchDirectory("certs") { certificates in
                let pki = PKIDirectory(url: certificates)
                // A permit used before the restart, sent as the network system would send it.
                let (provision, entry, mover) = try await withTestNetwork(data: data, pki: pki) {
                    first throws -> (ProvisionRequest, RegisterEntry, SyntheticPerson) in
                    let tomakomai = try first.organization("tomakomai")
                    let sapporo = try first.organization("sapporo")
                    let (entry, mover) = try first.person(of: "tomakomai") { entry, person in
                        person.formerCity == "sapporo" && entry.linkCodeAcquired && first.hasLinkCode("sapporo", serial: person.serial)
                    }
                    let cipher = LinkCodeCipher(secret: try first.pki.keys.secret("nws", .linkCode))
                    var provision = ProvisionRequest()
                    provision.receptionNumber = "R1RESTART"
                    provision.inquirer = tomakomai.code.rawValue
                    provision.provider = sapporo.code.rawValue
                    provision.providerLinkCode =
                        cipher.linkCode(identity: cipher.identityCode(for: mover.residentCode), organization: sapporo.code).rawValue
                    provision.question = query(item: "42", provider: sapporo, information: "TM00000000000002")
                    provision.question.procedureCode = "JT90420000000001"
                    var claims = PermitClaims()
                    claims.permitID = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
                    claims.receptionNumber = provision.receptionNumber
                    claims.inquirer = provision.inquirer
                    claims.provider = provision.provider
                    claims.providerLinkCode = provision.providerLinkCode
                    claims.item = "42"
                    claims.procedureCode = "JT90420000000001"
                    claims.informationCode = "TM00000000000002"
                    // An hour: the second network may wait for the machine's capacity for minutes
                    // (a full test run), and the permit must still be in force when it is replayed.
                    claims.expiresAtMicros = SimulationClock().nowMicros() + 3_600_000_000
                    provision.permit = try Permit.issue(claims, sealedWith: .signature(try first.pki.keys.signingKey("nws", .permit)))
                    let asNetwork = try first.client(as: "nws", to: "ms-municipal")
                    #expect(try await asNetwork.call(Methods.provide, provision, deadline: deadline()).outcome == .provided)
                    await asNetwork.shutdown()
                    return (provision, entry, mover)
                }

                // The second network is not seeded: everything it knows comes from the stores.
                let nodes = try await withTestNetwork(seed: false, data: data, pki: pki) { second throws -> [String] in
                    let sapporo = try second.organization("sapporo")
                    let kokuho = try second.client(as: "tomakomai/kokuho", to: "atena-tomakomai")
                    var request = AddresseeInquiryRequest()
                    request.person = .addressNumber(entry.addressNumber.rawValue)
                    request.question = query(item: "42", provider: sapporo, information: "TM00000000000002")
                    let result = try await kokuho.call(Methods.addresseeInquire, request, deadline: deadline())
                    #expect(result.outcome == .provided, "the 符号 at both cities and Sapporo's 副本 survived")
                    let fiscalYear = String(second.topology.population.referenceDate.fiscalYear)
                    let income = result.recordSet.records.first { $0.recordKey == fiscalYear }?.items.first { $0.code == "K0004" }?.value
                    #expect(income == String(mover.income))

                    let replay = try second.client(as: "nws", to: "ms-municipal")
                    do throws(RenkeiError) {
                        _ = try await replay.call(Methods.provide, provision, deadline: deadline())
                        Issue.record("a permit used before the restart was accepted after it")
                    } catch {
                        #expect(error.code == .permitReused)
                    }
                    await replay.shutdown()
                    await kokuho.shutdown()
                    return second.topology.nodes.map(\.name)
                }

                // Both runs' audit entries form one verifiable log per node.
                for node in nodes {
                    let key = try pki.keys.publicKey(node, .checkpoint)
                    let report = try StoreReader(url: NodeFiles.store(node, in: data)).verifyAudit(with: AuditVerifier(node: node, key: key)).get()
                    #expect(report.entries > 0)
                }
            }
        }
    }

    @Test("an asynchronous inquiry in flight when the node stopped is settled at restart: DEADLINE_EXCEEDED, recorded and audited")
    func interruptedInquirySettled() async throws {
        try await withScratchDirectory("data") { data in
            try await withScratchDirectory("certs") { certificates in
                let pki = PKIDirectory(url: certificates)
                try await withTestNetwork(data: data, pki: pki) { first in
                    let tomakomai = try first.organization("tomakomai")
                    let sapporo = try first.organization("sapporo")
                    // What the tenant stores when it accepts an asynchronous inquiry, left as a crash leaves it:
                    // accepted, never finished.
                    var accepted = InquiryResult()
                    accepted.receptionNumber = "R1INTERRUPTED"
                    accepted.inquirer = tomakomai.code.rawValue
                    accepted.provider = sapporo.code.rawValue
                    accepted.question = query(item: "42", provider: sapporo, information: "TM00000000000002")
                    accepted.question.procedureCode = "JT90420000000001"
                    accepted.requestedAtMicros = SimulationClock().nowMicros()
                    accepted.status = .processing
                    accepted.businessSystem = "tomakomai/kokuho"
                    let store = try #require(first.network.stores["ms-municipal"])
                    try await store.commit([
                        .inquiryState(
                            tenant: tomakomai.code, reception: try ReceptionNumber("R1INTERRUPTED"), status: "processing",
                            payload: Array(try accepted.encoded()), updatedAt: accepted.requestedAtMicros)
                    ])
                }

                try await withTestNetwork(seed: false, data: data, pki: pki) { second in
                    let tomakomai = try second.organization("tomakomai")
                    let kokuho = try second.client(as: "tomakomai/kokuho", to: "atena-tomakomai")
                    var poll = AddresseeResultRequest()
                    poll.receptionNumber = "R1INTERRUPTED"
                    let settled = try await kokuho.call(Methods.addresseeResult, poll, deadline: deadline())
                    #expect(settled.status == .failed, "no longer 処理中: \(settled.status)")
                    #expect(settled.error?.code == .deadlineExceeded, "\(String(describing: settled.error))")
                    let records = try await #require(second.network.stores["ms-municipal"]).records(RecordQuery(keptBy: tomakomai.code, limit: 100))
                    let record = records.first { $0.receptionNumber.rawValue == "R1INTERRUPTED" }
                    #expect(
                        record?.party == .inquirer && record?.outcome == .timedOut && record?.errorCode == "DEADLINE_EXCEEDED",
                        "\(String(describing: record))")
                    await kokuho.shutdown()
                }
            }
        }
    }
}
