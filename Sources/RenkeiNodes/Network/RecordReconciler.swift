public import RenkeiConfig
public import RenkeiCore
public import RenkeiStore

/// Compares the 情報提供等記録 the three parties of each exchange kept (the inquirer's tenant,
/// the network system, the provider's tenant) and reports where they disagree. A provision that
/// completed after the inquirer's deadline (the provider recorded it late, the other two a
/// timeout) is the one disagreement it settles: it records the late provision at the network
/// system and the inquirer, with the provider's time, so that all three say the same.
public struct RecordReconciler: Sendable {
    public struct Report: Sendable, Equatable {
        /// Exchanges compared.
        public var exchanges = 0
        /// Late provisions now recorded at every party, one sentence each.
        public var settled: [String] = []
        /// Disagreements left, one sentence each.
        public var disagreements: [String] = []

        public init() {}
    }

    /// At most this many records are read from each store (newest first).
    public static let recordLimit = 200_000

    let topology: Topology

    public init(topology: Topology) { self.topology = topology }

    /// The final record each party kept of each exchange requested in [since, before).
    /// `records(node)` reads a node's records; `write(node, record)`, when given, records a
    /// settled late provision at that node (nil: report only).
    public func reconcile(
        since: Int64, before: Int64, records: (String) async throws(RenkeiError) -> [ProvisionRecord],
        write: ((String, ProvisionRecord) async throws(RenkeiError) -> Void)? = nil
    ) async throws(RenkeiError) -> Report {
        var parties: [String: [ProvisionRecord.Party: ProvisionRecord]] = [:]
        var hosts: [ProvisionRecord.Party: [String: String]] = [:]
        for node in [topology.networkSystem.name] + topology.intermediateServers.map(\.name) {
            // Newest first: the first record of a party is its final one (a manual answer after 手動応答待ち).
            for record in try await records(node) where record.requestedAt >= since && record.requestedAt < before {
                let key = record.receptionNumber.rawValue
                if parties[key]?[record.party] == nil {
                    parties[key, default: [:]][record.party] = record
                    hosts[record.party, default: [:]][key] = node
                }
            }
        }
        var report = Report()
        for (reception, kept) in parties.sorted(by: { $0.key < $1.key }) {
            guard let network = kept[.network] else { continue }
            report.exchanges += 1
            let inquirer = kept[.inquirer]
            let provider = kept[.provider]
            if let provider, provider.outcome == .late {
                for (party, record) in [(ProvisionRecord.Party.network, network), (.inquirer, inquirer)] {
                    guard let record, record.outcome != .late else { continue }
                    guard record.outcome == .timedOut, let node = hosts[party]?[reception] else {
                        report.disagreements.append(
                            "\(reception): the provider recorded a late provision, but the \(party.rawValue) recorded \(record.outcome.rawValue)")
                        continue
                    }
                    let settled = Self.late(record, providedAt: provider.providedAt)
                    if let write {
                        try await write(node, settled)
                        report.settled.append(
                            "\(reception): recorded at \(node) (\(party.rawValue)) as late, provided at \(JSTTime.iso8601(provider.providedAt ?? 0)) after the request at \(JSTTime.iso8601(record.requestedAt))"
                        )
                    } else {
                        report.disagreements.append(
                            "\(reception): the provider answered late (at \(JSTTime.iso8601(provider.providedAt ?? 0))); \(node) recorded a timeout (run renkei up to settle it)"
                        )
                    }
                }
                continue
            }
            guard let inquirer else {
                report.disagreements.append("\(reception): the network system recorded \(network.outcome.rawValue), the inquirer kept no record")
                continue
            }
            var outcomes = [("the inquirer", inquirer.outcome), ("the network system", network.outcome)]
            if let provider { outcomes.append(("the provider", provider.outcome)) }
            if Set(outcomes.map(\.1)).count > 1 {
                report.disagreements.append(
                    "\(reception): " + outcomes.map { "\($0.0) recorded \($0.1.rawValue)" }.joined(separator: ", "))
            }
        }
        return report
    }

    /// `record` as the late provision it turned out to be.
    static func late(_ record: ProvisionRecord, providedAt: Int64?) -> ProvisionRecord {
        ProvisionRecord(
            party: record.party, receptionNumber: record.receptionNumber, inquirer: record.inquirer, provider: record.provider, item: record.item,
            procedure: record.procedure, informationCodes: record.informationCodes, requestedAt: record.requestedAt, providedAt: providedAt,
            outcome: .late, errorCode: ErrorCode.deadlineExceeded.rawValue, inquirerNondisclosure: record.inquirerNondisclosure,
            providerNondisclosure: record.providerNondisclosure, linkCode: record.linkCode, providerLinkCode: record.providerLinkCode,
            testMode: record.testMode, operatorUser: record.operatorUser, operatorDepartment: record.operatorDepartment)
    }
}

extension LinkageNetwork {
    /// Reconciles the records of the exchanges requested in the last `days` (up to `settled` ago,
    /// so that nothing in flight is judged), settling late provisions; at start and on demand.
    public func reconcileRecords(days: Int = 8, settled: Duration = .seconds(60)) async throws(RenkeiError) -> RecordReconciler.Report {
        let now = clock.nowMicros()
        let stores = self.stores
        let report = try await RecordReconciler(topology: topology).reconcile(
            since: now - Int64(days) * 86_400_000_000, before: now - settled.microseconds,
            records: { node throws(RenkeiError) in
                guard let store = stores[node] else { return [] }
                return try await store.records(RecordQuery(testMode: nil, limit: RecordReconciler.recordLimit))
            },
            write: { node, record throws(RenkeiError) in
                guard let store = stores[node] else { return }
                try await store.commit([
                    .record(record),
                    .audit(
                        AuditEvent(
                            kind: .provision, at: self.clock.nowMicros(), actor: "reconciliation",
                            detail: "\(record.receptionNumber) late: the provider answered after the deadline")),
                ])
            })
        return report
    }
}
