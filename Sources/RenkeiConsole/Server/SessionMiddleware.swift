import Hummingbird

/// Finds the session of the request's cookie, and answers every page with the headers a
/// console of personal data needs: no caching, no framing, scripts and styles only from itself.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = ConsoleRequestContext
    static let cookie = "renkei_session"

    let sessions: ConsoleSessions

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let id = request.cookies[Self.cookie]?.value, id.utf8.count == 64 {
            context.session = await sessions.session(id)
            context.sessionID = context.session == nil ? nil : id
        }
        var response = try await next(request, context)
        response.headers[.cacheControl] = "no-store"
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.strictTransportSecurity] = "max-age=31536000"
        return response
    }

    /// The session cookie: HttpOnly (no script reads it), Secure (HTTPS only), SameSite=Strict
    /// (no other site's page sends it).
    static func setCookie(_ value: String) -> String {
        "\(cookie)=\(value); Path=/; HttpOnly; Secure; SameSite=Strict"
    }

    static let clearCookie = "\(cookie)=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0"
}
