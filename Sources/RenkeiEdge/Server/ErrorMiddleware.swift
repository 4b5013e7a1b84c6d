import Foundation
import Hummingbird
import RenkeiCore

/// Turns every failure into a body that says what went wrong, with a stable code: JSON
/// `{"code": …, "message": …}` (the XML and batch routes write their own formats).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = EdgeRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as RenkeiError {
            return Self.response(error)
        } catch let error as HTTPError {
            return Self.response(Self.renkeiError(error, request), status: error.status)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return Self.response(RenkeiError(.internalError, "the request failed: \(error)"))
        }
    }

    /// Hummingbird's own refusals (no route, a body over the limit …) as renkei errors.
    static func renkeiError(_ error: HTTPError, _ request: Request) -> RenkeiError {
        let code: ErrorCode
        switch error.status {
        case .notFound: code = .notFound
        case .contentTooLarge: code = .bodyTooLarge
        case .unauthorized: code = .unauthenticated
        case .methodNotAllowed: code = .notFound
        default: code = error.status.code < 500 ? .invalidRequest : .internalError
        }
        let message: String
        switch error.status {
        case .notFound: message = "no route \(request.method) \(request.uri.path); see /openapi.yaml"
        case .contentTooLarge: message = "the body is over the limit of \(EdgeLimits.maximumBody) bytes"
        default: message = error.body ?? "\(error.status)"
        }
        return RenkeiError(code, message)
    }

    static func response(_ error: RenkeiError, status: HTTPResponse.Status? = nil) -> Response {
        let body = (try? JSONEncoder().encode(["code": error.code.rawValue, "message": error.message])) ?? Data()
        return Response(
            status: status ?? HTTPStatusMapping.status(for: error.code),
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}
