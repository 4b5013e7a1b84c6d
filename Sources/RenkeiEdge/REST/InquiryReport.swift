public import Foundation
public import RenkeiConfig
public import RenkeiCore

/// An inquiry result as people and scripts read it: names next to codes, item names next to
/// item codes, times in JST, and the two status levels of the 中間サーバー interface.
public struct InquiryReport: Codable, Sendable {
    public struct Party: Codable, Sendable {
        public let id: String
        public let name: String
        public let code: String
    }
    public struct Information: Codable, Sendable {
        public let code: String
        public let name: String
        public let informationClass: String
    }
    public struct Item: Codable, Sendable {
        public let code: String
        public let name: String?
        public let value: String?
        public let reasonOfNull: String?
    }
    public struct Record: Codable, Sendable {
        public let dataSet: String
        public let recordKey: String
        public let version: UInt32
        public let publicationDate: String?
        public let endDate: String?
        public let items: [Item]
    }
    public struct Failure: Codable, Sendable {
        public let code: String
        public let message: String
    }

    public let receptionNumber: String
    /// completed, processing, awaiting_manual (手動応答待ち) or failed.
    public let status: String
    /// provided, no_data, manual, withheld, manual_pending or denied.
    public let outcome: String?
    /// 照会ステータス（明細単位） and （特定個人情報名単位）.
    public let statusCodes: StatusCodeTable.Codes
    public let item: String
    public let procedure: String
    public let inquirer: Party
    public let provider: Party
    public let information: Information
    public let requestedAt: String
    public let providedAt: String?
    public let providerNondisclosure: Bool
    public let testMode: Bool
    public let records: [Record]
    public let error: Failure?

    public init(_ result: InquiryResult, topology: Topology) {
        func party(_ code: String) -> Party {
            let organization = topology.organization(named: code)
            return Party(id: organization?.id ?? "", name: organization?.name ?? "", code: code)
        }
        let spec = (try? InformationCode(result.question.informationCode)).flatMap { topology.catalogue.spec($0) }
        receptionNumber = result.receptionNumber
        status = result.status.name
        switch result.status {
        case .failed: outcome = InquiryOutcome(failure: result.error?.code ?? .internalError).rawValue
        case .processing: outcome = nil  // 処理中: no outcome yet
        default: outcome = InquiryOutcome(result.outcome).rawValue
        }
        statusCodes = topology.catalogue.statusCodes.codes(status: status, outcome: outcome ?? "")
        item = result.question.item
        procedure = result.question.procedureCode
        inquirer = party(result.inquirer)
        provider = party(result.provider)
        information = Information(code: result.question.informationCode, name: spec?.name ?? "", informationClass: spec?.informationClass ?? "")
        requestedAt = JSTTime.iso8601(result.requestedAtMicros)
        providedAt = result.providedAtMicros == 0 ? nil : JSTTime.iso8601(result.providedAtMicros)
        providerNondisclosure = result.providerNondisclosure
        testMode = result.question.testMode
        error = result.error.map { Failure(code: $0.code.rawValue, message: $0.message) }
        records = result.recordSet.records.map { record in
            Record(
                dataSet: record.dataSet, recordKey: record.recordKey, version: UInt32(clamping: record.version),
                publicationDate: record.publicationDate?.description, endDate: record.endDate?.description,
                items: record.items.map { item in
                    Item(
                        code: item.code, name: spec?.itemName(item.code), value: item.value, reasonOfNull: item.value == nil ? item.reasonOfNull : nil
                    )
                }
            )
        }
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
