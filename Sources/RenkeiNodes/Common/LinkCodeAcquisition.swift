import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiWire

/// 符号取得 as domain.md §4.2 lays it out: the 中間サーバー obtains a 処理通番 per person
/// from the network system, then the 個人番号 and 処理通番 go through J-LIS, which turns
/// the 個人番号 into the 住民票コード for the network system to make the 符号 from.
///
/// Run by the 団体内統合宛名システム, or by the operator for a 機関 without one (as the
/// 支払基金 does centrally for medical insurers).
enum LinkCodeAcquisition {
    struct Outcome: Sendable {
        var acquired = 0
        var failures: [AcquisitionOutcome] = []
    }

    static let batchSize = 2_000

    static func run(
        for organization: Organization,
        persons: [(IntegratedAddressNumber, MyNumber)],
        topology: Topology,
        peers: PeerDirectory,
        deadline: NIODeadline
    ) async throws(RenkeiError) -> Outcome {
        guard let host = topology.intermediateServer(hosting: organization.id) else {
            throw RenkeiError(.unknownOrganization, "no 中間サーバー hosts \(organization.name)")
        }
        var outcome = Outcome()
        var start = 0
        while start < persons.count {
            let batch = persons[start..<min(start + batchSize, persons.count)]
            start += batchSize
            var begin = BeginAcquisitionRequest()
            begin.tenant = organization.code.rawValue
            begin.integratedAddressNumbers = batch.map(\.0.rawValue)
            let numbers = try await peers.client(host.name).call(Methods.beginAcquisition, begin, deadline: deadline).processingNumbers

            var acquire = AcquisitionRequest()
            acquire.organization = organization.code.rawValue
            acquire.entries = zip(batch, numbers).map { person, number in
                AcquisitionRequest.Acquisition(myNumber: person.1.rawValue, processingNumber: number)
            }
            let results = try await peers.client(topology.residentRegistry.name).call(Methods.acquire, acquire, deadline: deadline)
            for result in results.outcomes {
                if result.status != nil { outcome.failures.append(result) } else { outcome.acquired += 1 }
            }
        }
        return outcome
    }
}
