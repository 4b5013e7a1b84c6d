import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI
import RenkeiStore
import RenkeiTestSupport
import RenkeiWire
import Testing

@Suite("A node whose disk fills", .queuedTimeLimit)
struct FullDiskNetworkTests {
    @Test(
        "when the 中間サーバー's disk fills, every inquiry it answered is recorded, and the next is refused with STORE_FULL (not INTERNAL)"
    )
    func fullIntermediateServer() async throws {
        try await withScratchDirectory("data") { data in
            try await withScratchDirectory("certs") { certificates in
                let pki = PKIDirectory(url: certificates)
                try await withTestNetwork(data: data, pki: pki) { _ in }
                let probe = try SQLiteStore(
                    url: NodeFiles.store("ms-municipal", in: data), node: "ms-municipal",
                    signingKey: try pki.keys.signingKey("ms-municipal", .checkpoint))
                let pages = try await probe.pagesInUse()
                await probe.close()
                // A quota a little above what the seed took, with a reserve of 32 pages beyond it.
                let options: @Sendable (String) -> SQLiteStore.Options = { name in
                    var options = SQLiteStore.Options()
                    if name == "ms-municipal" {
                        options.reserveBytes = 32 * 4096
                        options.maximumPages = pages + 32 + 12
                    }
                    return options
                }
                try await withTestNetwork(seed: false, data: data, pki: pki, storeOptions: options) { net in
                    let sapporo = try net.organization("sapporo")
                    let movers = net.population.register(net.topology.registers["tomakomai"]!).filter { entry in
                        net.population.persons[entry.person].formerCity == "sapporo" && entry.linkCodeAcquired
                            && net.hasLinkCode("sapporo", serial: entry.person)
                    }
                    let client = try net.client(as: "tomakomai/kokuho", to: "atena-tomakomai")
                    var answered = [String]()
                    var refusal: RenkeiError?
                    for index in 0..<2_000 {
                        var request = AddresseeInquiryRequest()
                        request.person = .addressNumber(movers[index % movers.count].addressNumber.rawValue)
                        request.question = query(item: "42", provider: sapporo, information: "TM00000000000002")
                        do throws(RenkeiError) {
                            answered.append(try await client.call(Methods.addresseeInquire, request, deadline: deadline()).receptionNumber)
                        } catch {
                            refusal = error
                            break
                        }
                    }
                    await client.shutdown()
                    #expect(refusal?.code == .storeFull, "\(String(describing: refusal))")
                    #expect(!answered.isEmpty)
                    let municipal = try #require(net.stores["ms-municipal"])
                    #expect((municipal as? SQLiteStore)?.isOnReserve == true)
                    // Every answered inquiry is in the inquirer's and the provider's records.
                    for reception in answered {
                        let kept = try await municipal.records(RecordQuery(receptionNumber: try ReceptionNumber(reception)))
                        #expect(Set(kept.map(\.party)) == [.inquirer, .provider], "\(reception)")
                    }
                }
            }
        }
    }
}
