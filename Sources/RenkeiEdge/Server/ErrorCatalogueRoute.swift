import Hummingbird
import RenkeiCore

/// `GET /v1/errors`: the error catalogue as JSON, so a vendor's system can map each code it
/// receives to its meaning and remedy without the documents.
enum ErrorCatalogueRoute {
    struct Body: Encodable {
        let code: String
        let kind: String
        let httpStatus: Int
        let exitStatus: Int32
        let meaning: String
        let remedy: String
    }

    static func add(to router: Router<EdgeRequestContext>) {
        router.get("/v1/errors") { _, _ in
            try JSONBody.response(
                ErrorCatalogue.renkei.entries.map {
                    Body(
                        code: $0.code.rawValue, kind: $0.kind.rawValue, httpStatus: $0.httpStatus, exitStatus: $0.kind.exitStatus,
                        meaning: $0.meaning,
                        remedy: $0.remedy)
                })
        }
    }
}
