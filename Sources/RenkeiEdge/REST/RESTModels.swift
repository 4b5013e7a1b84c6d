import Foundation
import Hummingbird
import RenkeiCore

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
    struct Item: Decodable {
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
    let item: String
    let procedure: String
    let information: [String]
    let requestedAt: String
    let providedAt: String?
    let outcome: String
    let errorCode: String?
    let nondisclosure: Bool
    let testMode: Bool
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
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw RenkeiError(.invalidRequest, "the JSON body does not fit: \(error.fieldDescription)")
        } catch {
            throw RenkeiError(.invalidRequest, "the body is not JSON: \(error)")
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
