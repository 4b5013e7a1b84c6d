import Foundation
import Hummingbird
import RenkeiConfig
import RenkeiCore
import RenkeiNodes

/// Sign-in with a staff account's password, sign-out, and the home page.
struct SignInRoutes: Sendable {
    let environment: ConsoleEnvironment
    /// The form's own CSRF token before there is a session (double submit: cookie and field).
    static let loginCookie = "renkei_login"

    func add(to router: Router<ConsoleRequestContext>) {
        router.get("/login") { request, context in loginPage(request, context) }
        router.post("/login") { request, context in try await signIn(request, context) }
        router.post("/logout", use: environment.signedIn { request, context, session in try await signOut(request, context, session) })
        router.get("/", use: environment.signedIn { _, _, session in home(session) })
    }

    /// The 機関 whose staff can sign in: those with a business system (the console signs in through one).
    private var organizations: [Organization] {
        environment.topology.organizations.filter { organization in
            environment.topology.businessSystems.contains { $0.organization == organization.id }
        }
    }

    private func loginPage(_ request: Request, _ context: ConsoleRequestContext, error: RenkeiError? = nil) -> Response {
        let token = ConsoleSessions.randomToken()
        let query = request.uri.queryParameters
        var values: [String: Any] = [
            "organizations": organizations.map { ["id": $0.id, "name": $0.name] },
            "csrf": token,
            "next": query["next"].map(String.init).flatMap(ConsoleEnvironment.localPath) ?? "/",
        ]
        if query["expired"] != nil { values["notice"] = "セッションが終了しました。もう一度サインインしてください。" }
        if let error { values["error"] = ["code": error.code.rawValue, "message": error.message] }
        var response = environment.pages.page(
            "login", title: "サインイン", session: nil, values: values,
            status: error == nil ? .ok : HTTPResponse.Status(code: ErrorCatalogue.renkei.httpStatus(error?.code ?? .signInFailed)))
        response.headers[.setCookie] = "\(Self.loginCookie)=\(token); Path=/login; HttpOnly; Secure; SameSite=Strict"
        return response
    }

    private func signIn(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        let form: ConsoleForm
        do {
            form = try await ConsoleForm.read(request, context: context, csrf: request.cookies[Self.loginCookie]?.value)
        } catch let error as RenkeiError {
            return loginPage(request, context, error: error)
        }
        do {
            let session = try await open(form)
            let id = await environment.sessions.open(session)
            let next = ConsoleEnvironment.localPath(form["next"]) ?? "/"
            return ConsolePages.redirect(next, cookie: SessionMiddleware.setCookie(id))
        } catch {
            return loginPage(request, context, error: error)
        }
    }

    /// Signs the member of staff in at their 機関's tenant, as one of its business systems.
    private func open(_ form: ConsoleForm) async throws(RenkeiError) -> ConsoleSession {
        let topology = environment.topology
        let organizationID = try form.text("organization", label: "機関", limit: 64)
        let userID = try form.text("user", label: "ユーザID", limit: 64)
        guard let organization = topology.organization(id: organizationID),
            let system = topology.businessSystems.first(where: { $0.organization == organization.id && !$0.disabled })
        else {
            throw RenkeiError(.unknownOrganization, "choose the 機関 you work for from the list")
        }
        var request = SignInRequest()
        request.userID = userID
        request.password = form["password"]
        let client = try await environment.linkage.client(system.id)
        let identity = "\(organization.id)/\(userID.excerpt(64))"
        let response = try await environment.network.control.journal.run(
            interface: .console, identity: identity, operation: "signIn", request: ["user": userID], clock: environment.network.clock
        ) { _ throws(RenkeiError) in
            try await client.signIn(request, deadline: ConsoleLinkage.deadline())
        }
        let trainer = environment.settings.trainers.contains(.init(organization: organization.id, userID: userID))
        return ConsoleSession(
            organization: organization, userID: userID, name: response.account.name, department: response.account.department,
            systems: response.account.systems, isTrainer: trainer, token: response.token, csrfToken: ConsoleSessions.randomToken(),
            lastSeenMicros: 0)
    }

    private func signOut(_ request: Request, _ context: ConsoleRequestContext, _ session: ConsoleSession) async throws -> Response {
        _ = try await environment.form(request, context, session)
        if let id = context.sessionID { _ = await environment.sessions.close(id) }
        if let system = environment.topology.businessSystems.first(where: { $0.organization == session.organization.id }) {
            var signOut = SignInRequest()
            signOut.signOutToken = session.token
            let client = try await environment.linkage.client(system.id)
            _ = try? await environment.journaled(session, "signOut", [:]) { _ throws(RenkeiError) in
                try await client.signIn(signOut, deadline: ConsoleLinkage.deadline())
            }
        }
        return ConsolePages.redirect("/login", cookie: SessionMiddleware.clearCookie)
    }

    private func home(_ session: ConsoleSession) -> Response {
        let systems = session.systems.compactMap { environment.topology.businessSystem(id: $0) }.map { ["id": $0.id, "name": $0.name] }
        return environment.pages.page(
            "home", title: "メニュー", session: session,
            values: [
                "systems": systems, "scenario": environment.network.control.scenario.current?.scenario ?? "seed",
                "exercises": environment.exercises.map { ["id": $0.id, "title": $0.title, "titleEnglish": $0.titleEnglish] },
            ])
    }
}
