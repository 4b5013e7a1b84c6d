import Foundation
import Hummingbird
import RenkeiConfig
import RenkeiCore
import RenkeiNodes

/// POST /v1/inquiries
struct InquiryBody: Decodable {
    var addressNumber: String?
    var myNumber: String?
    var item: String
    var provider: String
    var information: String
    var procedure: String?
    var fiscalYear: String?
    var nondisclosure: Bool?
    /// sync (default) or async.
    var mode: String?
    var timeoutMs: Int?
    var testMode: Bool?
    var departmentCode: String?
    var userId: String?
}

/// POST /v1/duplicates
struct DuplicatesBody: Decodable {
    /// An item as it is registered and as it is read back.
    struct Item: Codable {
        var code: String
        var value: String?
        var reasonOfNull: String?
    }
    struct Entry: Decodable {
        var addressNumber: String
        var information: String
        var dataSet: String
        var recordKey: String
        var version: Int?
        var publicationDate: String?
        var endDate: String?
        var items: [Item]
    }
    var entries: [Entry]
    /// The operator, as for an inquiry (or Authorization: Bearer).
    var userId: String?
    var departmentCode: String?
}

/// GET /v1/duplicates/{addressNumber}: the records in the shape POST /v1/duplicates takes.
struct DuplicateListBody: Encodable {
    typealias Item = DuplicatesBody.Item
    struct Record: Encodable {
        var information: String
        var dataSet: String
        var recordKey: String
        var version: Int
        var publicationDate: String?
        var endDate: String?
        var items: [Item]
    }
    var addressNumber: String
    var records: [Record]

    init(addressNumber: String, records: [DuplicateRecord]) {
        self.addressNumber = addressNumber
        self.records = records.map { record in
            Record(
                information: record.informationCode.rawValue, dataSet: record.dataSet, recordKey: record.recordKey, version: record.version,
                publicationDate: record.publicationDate?.description, endDate: record.endDate?.description,
                items: record.items.map { Item(code: $0.code, value: $0.value, reasonOfNull: $0.reasonOfNull) })
        }
    }
}

/// POST /v1/sessions
struct SignInBody: Decodable {
    var userId: String
    var password: String
}

struct SessionBody: Encodable {
    let token: String
    let expiresAt: String
    let account: StaffBody
}

/// A staff account as the edges and the admin API show it.
struct StaffBody: Codable {
    var userId: String
    var name: String?
    var department: String
    var systems: [String]
    var validFrom: String?
    var validUntil: String?
    var disabled: Bool?
    var hasPassword: Bool?
    var tokens: Int?
    var lockedUntil: String?
}

extension StaffBody {
    init(_ summary: StaffSummary) {
        self.init(
            userId: summary.userID, name: summary.name, department: summary.department, systems: summary.systems,
            validFrom: summary.validFrom.isEmpty ? nil : summary.validFrom, validUntil: summary.validUntil.isEmpty ? nil : summary.validUntil,
            disabled: summary.disabled, hasPassword: summary.hasPassword, tokens: summary.tokens,
            lockedUntil: summary.lockedUntilMicros == 0 ? nil : JSTTime.iso8601(summary.lockedUntilMicros))
    }

    var summary: StaffSummary {
        var summary = StaffSummary()
        summary.userID = userId
        summary.name = name ?? ""
        summary.department = department
        summary.systems = systems
        summary.validFrom = validFrom ?? ""
        summary.validUntil = validUntil ?? ""
        summary.disabled = disabled ?? false
        return summary
    }
}

extension DuplicatesBody {
    /// The entries this body asks for, every field checked as the 中間サーバー will.
    func entries(topology: Topology) throws(RenkeiError) -> [DuplicateRegistration.Entry] {
        guard !entries.isEmpty else { throw RenkeiError(.invalidRequest, "entries is empty") }
        guard entries.count <= 10_000 else { throw RenkeiError(.invalidRequest, "at most 10,000 entries per request; split it") }
        return try entries.enumerated().map { index, entry throws(RenkeiError) in
            guard (entry.version ?? 1) >= 1 else { throw RenkeiError(.invalidRequest, "entries[\(index)].version must be 1 or more") }
            do throws(RenkeiError) {
                let record = DuplicateRecord(
                    informationCode: try topology.informationCode(for: entry.information), dataSet: entry.dataSet, recordKey: entry.recordKey,
                    version: Int(clamping: entry.version ?? 1), publicationDate: try CivilDate.field(entry.publicationDate, "公開開始日"),
                    endDate: try CivilDate.field(entry.endDate, "公開終了日"),
                    items: entry.items.map { item in DuplicateRecord.Item(code: item.code, value: item.value, reasonOfNull: item.reasonOfNull) }
                )
                try record.validate()
                return DuplicateRegistration.Entry(record: record, addressNumber: entry.addressNumber)
            } catch {
                throw RenkeiError(error.code, "entries[\(index)]: \(error.message)")
            }
        }
    }

}

extension InquiryBody {
    /// The one person the body names; REST and XML check that exactly one is given.
    func person() throws(RenkeiError) -> PersonReference {
        if let addressNumber { return .addressNumber(addressNumber) }
        if let myNumber { return .myNumber(myNumber) }
        throw RenkeiError(.invalidRequest, "give exactly one of addressNumber and myNumber")
    }
}

/// POST /v1/link-codes
struct LinkCodeBody: Decodable {
    var addressNumber: String?
    var myNumber: String?
}

struct CountsBody: Encodable {
    var registered: Int?
    var deleted: Int?
    var status: String?
}

/// One 情報提供等記録 as the records search returns it.
struct RecordBody: Codable {
    let party: String
    let receptionNumber: String
    let inquirer: String
    let provider: String
    /// The 別表第二 item; nil for an item the 2024 ordinance added.
    let item: String?
    /// The item in the 2024 ordinance's numbering; nil for a 別表第二 item it has no counterpart for.
    let ordinanceItem: String?
    let procedure: String
    let information: [String]
    let requestedAt: String
    let providedAt: String?
    let outcome: String
    let errorCode: String?
    let nondisclosure: Bool
    let testMode: Bool
    let operatorUser: String?
    let operatorDepartment: String?
}

enum JSONBody {
    /// Reads and decodes a JSON body, with errors that name the field at fault.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: EdgeRequestContext) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: EdgeLimits.maximumJSONBody)
        } catch {
            throw RenkeiError(.bodyTooLarge, "the JSON body is over the limit of \(EdgeLimits.maximumJSONBody) bytes")
        }
        do throws(RenkeiError) {
            return try decode(type, from: buffer.readableBytesView)
        } catch {
            context.journal?.annotate(context.trace, excerpt: DecisionJournal.excerpt(of: buffer.readableBytesView))
            throw error
        }
    }

    /// Decodes JSON bytes, whatever they are, into a value or an INVALID_REQUEST; a field the
    /// body type does not know is refused with its name and the known ones (`Strict`).
    static func decode<T: Decodable>(_ type: T.Type, from bytes: some Sequence<UInt8>) throws(RenkeiError) -> T {
        do {
            return try JSONDecoder().decode(Strict<T>.self, from: Data(bytes)).value
        } catch let error as StrictDecoding.UnknownKey {
            throw RenkeiError(.invalidRequest, "the JSON body: \(error)")
        } catch let error as DecodingError {
            throw RenkeiError(.invalidRequest, "the JSON body does not fit: \(error.fieldDescription)")
        } catch {
            throw RenkeiError(.invalidRequest, "the body is not JSON: \(String(describing: error).excerpt(120))")
        }
    }

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
        )
    }
}
