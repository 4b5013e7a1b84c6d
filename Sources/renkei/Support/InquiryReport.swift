import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiWire

/// An inquiry result as people and scripts read it: names next to codes, item names next to
/// item codes, times in JST.
struct InquiryReport: Encodable {
    struct Party: Encodable {
        let id: String
        let name: String
        let code: String
    }
    struct Information: Encodable {
        let code: String
        let name: String
        let informationClass: String
    }
    struct Item: Encodable {
        let code: String
        let name: String?
        let value: String?
        let reasonOfNull: String?
    }
    struct Record: Encodable {
        let dataSet: String
        let recordKey: String
        let version: UInt32
        let publicationDate: String?
        let endDate: String?
        let items: [Item]
    }

    let receptionNumber: String
    let outcome: String
    let item: String
    let procedure: String
    let inquirer: Party
    let provider: Party
    let information: Information
    let requestedAt: String
    let providedAt: String?
    let providerNondisclosure: Bool
    let records: [Record]

    init(_ result: Renkei_V1_InquiryResult, topology: Topology) throws {
        func party(_ code: String) -> Party {
            let organization = topology.organization(named: code)
            return Party(id: organization?.id ?? "", name: organization?.name ?? "", code: code)
        }
        let spec = (try? InformationCode(result.query.informationCode)).flatMap { topology.catalogue.spec($0) }
        receptionNumber = result.receptionNumber
        outcome = InquiryOutcome(result.outcome).rawValue
        item = result.query.item
        procedure = result.query.procedureCode
        inquirer = party(result.inquirer)
        provider = party(result.provider)
        information = Information(code: result.query.informationCode, name: spec?.name ?? "", informationClass: spec?.informationClass ?? "")
        requestedAt = Self.jst(result.requestedAtMicros)
        providedAt = result.providedAtMicros == 0 ? nil : Self.jst(result.providedAtMicros)
        providerNondisclosure = result.providerNondisclosure
        records = result.records.map { record in
            Record(
                dataSet: record.dataSet, recordKey: record.recordKey, version: record.version,
                publicationDate: record.publicationDate.isEmpty ? nil : record.publicationDate,
                endDate: record.endDate.isEmpty ? nil : record.endDate,
                items: record.items.map { item in
                    Item(code: item.code, name: spec?.itemName(item.code), value: item.null ? nil : item.value, reasonOfNull: item.null ? item.reasonOfNull : nil)
                }
            )
        }
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Microseconds since 1970 as an ISO 8601 time in JST.
    static func jst(_ micros: Int64) -> String {
        let seconds = micros / 1_000_000 + 9 * 3600
        let date = CivilDate(daysSinceEpoch: Int(seconds / 86400))
        let second = Int(seconds % 86400)
        func pad(_ value: Int, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(date)T\(pad(second / 3600)):\(pad(second / 60 % 60)):\(pad(second % 60)).\(pad(Int(micros % 1_000_000 / 1000), 3))+09:00"
    }
}

