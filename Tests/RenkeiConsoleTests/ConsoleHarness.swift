import Foundation
import Logging
import NIOCore
import RenkeiConfig
import RenkeiConsole
import RenkeiCore
import RenkeiNodes
import RenkeiPKI
import RenkeiTestSupport
import Testing

/// A console on a test network, on an ephemeral port, with the repository's exercises.
struct ConsoleHarness: Sendable {
    let net: TestNetwork
    let address: Endpoint
    let task: Task<Void, any Error>

    static let password = "console-test-password"

    /// Starts the console; `passwords` are the staff (organization, user) given `password`.
    static func start(_ net: TestNetwork, passwords: [(String, String)]) async throws -> ConsoleHarness {
        guard let settings = net.topology.console else { throw RenkeiError(.internalError, "the default topology has no console") }
        let admin = LinkageOperator(
            topology: net.topology, endpoints: net.network.endpoints, credentials: try net.pki.credentials(for: "admin").on(net.network.clock),
            logger: TestNetwork.logger)
        for (organization, user) in passwords {
            var request = StaffRequest()
            request.action = .resetPassword
            request.userID = user
            request.password = password
            _ = try await admin.staff(request, of: try net.organization(organization), deadline: .now() + .seconds(30))
        }
        await admin.shutdown()
        let console = try await ConsoleServer.make(
            network: net.network, settings: settings, exercises: Repository.file("config/exercises"), scenarios: Repository.scenarios,
            dataDirectory: nil, logger: TestNetwork.logger)
        let task = Task { try await console.run() }
        guard let address = await console.address() else { throw RenkeiError(.unavailable, "the console did not listen") }
        return ConsoleHarness(net: net, address: address, task: task)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }

    /// A browser with its own cookies: curl over HTTPS, verifying the console's certificate
    /// against the development CA.
    func browser() throws -> Browser {
        Browser(
            base: "https://\(address)", curl: URL(fileURLWithPath: try requireTool("curl")),
            ca: net.pki.url.appendingPathComponent("ca.crt").path, jar: try scratchDirectory("cookies").appendingPathComponent("jar").path)
    }
}

struct Browser: Sendable {
    struct Page: Sendable {
        let status: Int
        let headers: String
        let body: String

        /// The value of the first hidden `csrf` field.
        var csrf: String {
            guard let range = body.range(of: #"name="csrf" value="([0-9a-f]{64})""#, options: .regularExpression) else { return "" }
            return String(body[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
        }

        func header(_ name: String) -> String? {
            headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix(name.lowercased() + ":") }.map {
                String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces)
            }
        }
    }

    let base: String
    let curl: URL
    let ca: String
    let jar: String

    func get(_ path: String) async throws -> Page { try await request(path, form: nil) }

    func post(_ path: String, _ form: [String: String]) async throws -> Page { try await request(path, form: form) }

    private func request(_ path: String, form: [String: String]?) async throws -> Page {
        var arguments = ["-s", "--cacert", ca, "-c", jar, "-b", jar, "-D", "-", "-w", "\n%{http_code}", "--max-time", "30", base + path]
        if let form {
            for (key, value) in form.sorted(by: { $0.key < $1.key }) { arguments += ["--data-urlencode", "\(key)=\(value)"] }
        }
        let result = try await runProcess(curl, arguments)
        #expect(result.status == 0, "curl \(path): \(result.error)")
        let output = result.output
        guard let split = output.range(of: "\r\n\r\n"), let newline = output.lastIndex(of: "\n") else {
            return Page(status: 0, headers: "", body: output)
        }
        return Page(
            status: Int(output[output.index(after: newline)...]) ?? 0, headers: String(output[..<split.lowerBound]),
            body: String(output[split.upperBound..<newline]))
    }

    /// Signs in and returns the home page's status.
    @discardableResult
    func signIn(_ organization: String, _ user: String, password: String = ConsoleHarness.password) async throws -> Page {
        let login = try await get("/login")
        return try await post("/login", ["csrf": login.csrf, "organization": organization, "user": user, "password": password, "next": "/"])
    }
}

/// Runs `body` with a test network and its console, stopping both afterwards.
func withConsole<T>(
    passwords: [(String, String)] = [("tomakomai", "user01"), ("tomakomai", "zei01"), ("tomakomai", "trainer01"), ("sapporo", "user01")],
    isolation: isolated (any Actor)? = #isolation, _ body: (ConsoleHarness) async throws -> T
) async throws -> T {
    // bcrypt at the topology's cost 12 takes a quarter of a second of CPU per password; a dozen
    // of them in parallel tests starve the other suites' deadlines, so these tests use cost 4.
    try await withTestNetwork(adjust: { $0.staff.passwordCost = 4 }) { net in
        let console = try await ConsoleHarness.start(net, passwords: passwords)
        do {
            let value = try await body(console)
            await console.stop()
            return value
        } catch {
            await console.stop()
            throw error
        }
    }
}
