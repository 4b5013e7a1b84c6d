import Crypto
public import Foundation
public import RenkeiConfig
public import RenkeiCore
public import RenkeiPKI
import RenkeiStore

/// The 情報提供等記録 of a data directory as people look at them: a person's やりとり履歴 as
/// マイナポータル shows it, and an organisation's own records.
public struct RecordViews: Sendable {
    /// One line of やりとり履歴.
    public struct PortalEntry: Sendable, Hashable {
        public let requestedAt: Int64
        public let providedAt: Int64?
        public let inquirer: String
        public let provider: String
        public let item: ItemReference
        public let information: [String]
        public let outcome: InquiryOutcome
        /// An exchange in テスト mode (MSGMode 1): shown, marked, never hidden.
        public let testMode: Bool
    }

    let topology: Topology
    let dataDirectory: URL
    let pki: PKIDirectory

    public init(topology: Topology, dataDirectory: URL, pki: PKIDirectory) {
        self.topology = topology
        self.dataDirectory = dataDirectory
        self.pki = pki
    }

    /// The person's やりとり履歴: the network system's records about them, without those
    /// marked 不開示. Found as マイナポータル finds them: J-LIS gives the 住民票コード, and the
    /// network system knows the person's 符号 at every 機関 from it.
    public func portal(myNumber: MyNumber, limit: Int = 1_000) async throws(RenkeiError) -> [PortalEntry] {
        let registry = try StoreReader(url: NodeFiles.store(topology.residentRegistry.name, in: dataDirectory))
        guard let residentCode = try registry.residentCode(for: myNumber) else {
            throw RenkeiError(.unknownPerson, "no resident with this 個人番号 is in 住民基本台帳")
        }
        let cipher = LinkCodeCipher(secret: try pki.keys.secret(topology.networkSystem.name, .linkCode))
        let identity = cipher.identityCode(for: residentCode)
        let linkCodes = Set(topology.organizations.map { cipher.linkCode(identity: identity, organization: $0.code) })
        let records = try await NodeFiles.reading(topology.networkSystem.name, topology: topology, in: dataDirectory) { store throws(RenkeiError) in
            try await store.records(RecordQuery(party: .network, linkCodes: linkCodes, testMode: nil, limit: limit))
        }
        return records.filter { !$0.inquirerNondisclosure && !$0.providerNondisclosure }.map { record in
            PortalEntry(
                requestedAt: record.requestedAt, providedAt: record.providedAt,
                inquirer: name(record.inquirer), provider: name(record.provider), item: record.item,
                information: record.informationCodes.map { topology.catalogue.spec($0)?.name ?? $0.rawValue },
                outcome: record.outcome, testMode: record.testMode
            )
        }
    }

    /// The records an organisation keeps on its 中間サーバー: its inquiries and its provisions.
    public func organization(_ organization: Organization, since: Int64?, limit: Int) throws(RenkeiError) -> [ProvisionRecord] {
        guard let host = topology.intermediateServer(hosting: organization.id) else {
            throw RenkeiError(.unknownOrganization, "no 中間サーバー hosts \(organization.name)")
        }
        return try StoreReader(url: NodeFiles.store(host.name, in: dataDirectory))
            .records(RecordQuery(keptBy: organization.code, since: since, limit: limit))
    }

    public func name(_ code: OrganizationCode) -> String { topology.organization(code: code)?.name ?? code.rawValue }
}
