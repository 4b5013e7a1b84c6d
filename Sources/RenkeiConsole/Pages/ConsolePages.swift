import Foundation
import Hummingbird
import Mustache
import RenkeiCore

/// The console's templates (Templates/*.mustache, loaded once) and how a page is answered.
struct ConsolePages: Sendable {
    let library: MustacheLibrary

    static func load() async throws(RenkeiError) -> ConsolePages {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates").path else {
            throw RenkeiError(.internalError, "the console's templates are missing from the bundle")
        }
        do { return ConsolePages(library: try await MustacheLibrary(directory: directory)) } catch {
            throw RenkeiError(.internalError, "the console's templates do not load: \(error)")
        }
    }

    /// `template` with `values`, inside the common frame (the menu for `session`).
    func page(
        _ template: String, title: String, session: ConsoleSession?, values: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) -> Response {
        var context = values
        context["title"] = title
        if let session {
            context["session"] =
                [
                    "name": session.name, "identity": session.identity, "organization": session.organization.name, "csrf": session.csrfToken,
                    "trainer": session.isTrainer, "systems": session.systems.joined(separator: "、"),
                ] as [String: Any]
        }
        let body = library.render(context, withTemplate: template) ?? "<!doctype html><title>renkei</title><p>template \(template) is missing</p>"
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// A refusal as a page: the stable code, the sentence, and what to do.
    func error(_ error: RenkeiError, session: ConsoleSession?, back: String? = nil) -> Response {
        let entry = ErrorCatalogue.renkei.entry(error.code)
        return page(
            "error", title: "エラー", session: session,
            values: [
                "code": error.code.rawValue, "message": error.message, "meaning": entry?.meaning ?? "", "remedy": entry?.remedy ?? "",
                "back": back ?? "/",
            ],
            status: HTTPResponse.Status(code: ErrorCatalogue.renkei.httpStatus(error.code)))
    }

    static func redirect(_ location: String, cookie: String? = nil) -> Response {
        var headers: HTTPFields = [.location: location]
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: .seeOther, headers: headers)
    }
}
