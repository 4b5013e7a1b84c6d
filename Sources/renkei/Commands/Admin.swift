import ArgumentParser
import Foundation
import NIOHTTP1
import RenkeiConfig
import RenkeiCore
import RenkeiEdge
import RenkeiNodes
import RenkeiPKI

/// The tester's controls, through the admin API of a running `renkei up`.
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The tester's controls: reset, scenarios, journal, faults, verification, the manual-response queue and flags.",
        discussion: "Talks to the admin API of a running `renkei up` with the operator certificate (certs/admin.crt).",
        subcommands: [Status.self, Reset.self, Scenarios.self, Journal.self, Faults.self, Verify.self, Queue.self, SetFlag.self]
    )

    /// Calls the admin API and prints its JSON answer; a refusal becomes the usual exit status.
    static func call(
        _ locations: LocationOptions, _ method: HTTPMethod, _ path: String, json: [String: Any]? = nil, yaml: String? = nil, raw: Bool = false,
        as identity: String = Topology.adminName
    ) async throws {
        do {
            let text = try await request(locations, method, path, json: json, yaml: yaml, as: identity)
            if !raw, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
                let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            {
                print(String(decoding: pretty, as: UTF8.self))
            } else {
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            }
        } catch {
            // The only throwing call is `request`, whose errors are RenkeiError.
            throw fail(error)
        }
    }

    /// The answer's text to a GET, or the exit a failure ends with.
    static func fetch(_ locations: LocationOptions, _ path: String) async throws -> String {
        do { return try await request(locations, .GET, path) } catch { throw fail(error) }
    }

    static func request(
        _ locations: LocationOptions, _ method: HTTPMethod, _ path: String, json: [String: Any]? = nil, yaml: String? = nil,
        as identity: String = Topology.adminName
    ) async throws(RenkeiError) -> String {
        do {
            let topology = try locations.topology(clock: try locations.clock())
            let endpoints = try EndpointDirectory(locations: locations, topology: topology)
            if endpoints.written["admin"] == nil, topology.admin != nil {
                throw RenkeiError(
                    .unavailable,
                    "the renkei up on \(locations.data) runs a process per node, which serves no admin API (renkei admin, renkei staff); restart it with renkei up --single-process"
                )
            }
            guard let admin = endpoints.written["admin"].flatMap({ try? Endpoint($0) }) ?? topology.admin else {
                throw RenkeiError(.invalidConfiguration, "the topology has no admin API (admin.listen)")
            }
            let client = try HTTPSClient(credentials: PKIDirectory(url: locations.certsURL).credentials(for: locations.identity ?? identity))
            var body: [UInt8]?
            var contentType: String?
            if let json {
                body = Array(try JSONSerialization.data(withJSONObject: json))
                contentType = "application/json"
            } else if let yaml {
                body = Array(yaml.utf8)
                contentType = "application/yaml"
            }
            let response = try await client.request(method, admin, path: path, contentType: contentType, body: body)
            guard response.status < 400 else {
                let failure = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: String]
                throw RenkeiError(ErrorCode(rawValue: failure?["code"] ?? "INTERNAL"), failure?["message"] ?? response.text)
            }
            return response.text
        } catch let error as RenkeiError {
            throw error
        } catch {
            throw RenkeiError(.internalError, "the admin API could not be read: \(error)")
        }
    }

    static func query(_ pairs: [(String, String?)]) -> String {
        let items = pairs.compactMap { key, value in
            value.map { "\(key)=\($0.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? $0)" }
        }
        return items.isEmpty ? "" : "?" + items.joined(separator: "&")
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reset every node to a scenario (config/scenarios/NAME.yaml), or to a scenario file.")
        @OptionGroup var locations: LocationOptions
        @Option(help: "A scenario name from config/scenarios.") var scenario: String?
        @Option(help: "A scenario YAML file to upload instead.") var file: String?

        func validate() throws {
            guard (scenario == nil) != (file == nil) else { throw ValidationError("give exactly one of --scenario and --file") }
        }

        func run() async throws {
            if let scenario { return try await Admin.call(locations, .POST, "/admin/reset", json: ["scenario": scenario]) }
            guard let file, let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ValidationError("cannot read \(file ?? "")") }
            try await Admin.call(locations, .POST, "/admin/scenarios", yaml: text)
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What the network holds now: the scenario loaded, inquiries waiting for staff, faults in force.")
        @OptionGroup var locations: LocationOptions
        func run() async throws { try await Admin.call(locations, .GET, "/admin/status") }
    }

    struct Scenarios: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the named scenarios.")
        @OptionGroup var locations: LocationOptions
        func run() async throws { try await Admin.call(locations, .GET, "/admin/scenarios") }
    }

    struct Journal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The request journal: every request, its outcome and the checks each node made (decision trace).",
            discussion: """
                Every request that reached an interface is there: REST, XML 電文, batch files and rows, the wire from \
                renkei inquire and renkei load, the admin API, and refused TLS handshakes. Times are ISO 8601 JST. \
                --since and --until take a time (2026-12-02T13:00, JST) or a span back from now (15m). \
                --jsonl prints one entry per line (for export); --follow keeps printing new entries until Ctrl-C.
                """)
        @OptionGroup var locations: LocationOptions
        @Option(help: "Only this interface: rest, xml, batch, batch-row, wire, admin, tls.") var interface: String?
        @Option(help: "Only this caller (a business system id, or admin).") var system: String?
        @Option(help: "Only this outcome: ok, denied, invalid, timeout, failed, open.") var outcome: String?
        @Flag(help: "Only requests that did not succeed.") var failures = false
        @Option(help: "From this time, or this long ago (15m).") var since: String?
        @Option(help: "Up to this time.") var until: String?
        @Option(help: "At most this many, newest first.") var limit: Int = 20
        @Flag(help: "One JSON object per line.") var jsonl = false
        @Flag(help: "Print new entries as they come, oldest first, until interrupted.") var follow = false

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1 to 10000") }
        }

        func path(after: String?, format: String?) -> String {
            "/admin/journal"
                + Admin.query([
                    ("interface", interface), ("system", system), ("outcome", outcome), ("failures", failures ? "true" : nil), ("since", since),
                    ("until", until), ("after", after), ("limit", String(after == nil ? limit : 10_000)), ("format", format),
                ])
        }

        func run() async throws {
            guard follow else {
                return try await Admin.call(locations, .GET, path(after: nil, format: jsonl ? "jsonl" : nil), raw: jsonl)
            }
            // Follow: ask for what came after the newest id seen, twice a second. The admin API
            // answers oldest first after a cursor, so no entry is skipped between two polls.
            var cursor = "0"
            while !Task.isCancelled {
                let text = try await Admin.fetch(locations, path(after: cursor, format: "jsonl"))
                for line in text.split(separator: "\n") where !line.isEmpty {
                    emit(String(line))
                    if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let id = object["id"] as? String {
                        cursor = id
                    }
                }
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    struct Faults: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Inject faults.", subcommands: [List.self, Add.self, Remove.self, Clear.self])

        struct List: AsyncParsableCommand {
            @OptionGroup var locations: LocationOptions
            func run() async throws { try await Admin.call(locations, .GET, "/admin/faults") }
        }

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Add a fault: latency, error, offline, link-code-missing or expired-certificate.",
                discussion:
                    "Examples: --kind latency --tenant sapporo --latency-ms 300; --kind offline --tenant nenkin; --kind error --node nws --error-code UNAVAILABLE"
            )
            @OptionGroup var locations: LocationOptions
            @Option(help: "latency, error, offline, link-code-missing, expired-certificate") var kind: String
            @Option(help: "A node or business system name.") var node: String?
            @Option(help: "An organization id (provider tenant; inquirer tenant for link-code-missing).") var tenant: String?
            @Option(help: "Only this 特定個人情報名コード.") var information: String?
            @Option(help: "fixed, uniform or exponential") var distribution: String?
            @Option(help: "Latency (or its mean), in milliseconds.") var latencyMs: Int?
            @Option var latencyMinMs: Int?
            @Option var latencyMaxMs: Int?
            @Option(help: "The error code to answer with.") var errorCode: String?
            @Option(help: "Chance that a matching request is affected (0–1).") var probability: Double?
            @Option(help: "Affect only this many requests.") var count: Int?

            func run() async throws {
                var body: [String: Any] = ["kind": kind]
                for (key, value) in [
                    ("node", node), ("tenant", tenant), ("information", information), ("distribution", distribution), ("errorCode", errorCode),
                ] {
                    if let value { body[key] = value }
                }
                for (key, value) in [("latencyMs", latencyMs), ("latencyMinMs", latencyMinMs), ("latencyMaxMs", latencyMaxMs), ("count", count)] {
                    if let value { body[key] = value }
                }
                if let probability { body["probability"] = probability }
                try await Admin.call(locations, .POST, "/admin/faults", json: body)
            }
        }

        struct Remove: AsyncParsableCommand {
            @OptionGroup var locations: LocationOptions
            @Argument(help: "The fault id (F1 …), as renkei admin faults list shows it.") var id: String
            func run() async throws { try await Admin.call(locations, .DELETE, "/admin/faults/\(id)") }
        }

        struct Clear: AsyncParsableCommand {
            @OptionGroup var locations: LocationOptions
            func run() async throws { try await Admin.call(locations, .DELETE, "/admin/faults") }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count the inquiries matching these fields that reached a provider.")
        @OptionGroup var locations: LocationOptions
        @Option(help: "The provider (organization id).") var provider: String
        @Option(help: "The inquirer (organization id).") var inquirer: String?
        @Option(help: "The 別表第二 item.") var item: String?
        @Option(help: "The 特定個人情報名コード or class.") var information: String?
        @Option(help: "provided, no_data, manual_pending, manual, withheld, denied") var outcome: String?
        @Option(help: "Only since this date (yyyy-MM-dd).") var since: String?
        @Flag(help: "Count test-mode (MSGMode 1) exchanges instead of real ones.") var test = false

        func run() async throws {
            try await Admin.call(
                locations, .GET,
                "/admin/verify"
                    + Admin.query([
                        ("provider", provider), ("inquirer", inquirer), ("item", item), ("information", information), ("outcome", outcome),
                        ("since", since),
                        ("test", test ? "true" : nil),
                    ]))
        }
    }

    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The manual-response (自動応答不可) queue: list, provide or withhold.",
            subcommands: [List.self, Provide.self, Withhold.self], defaultSubcommand: List.self
        )

        struct List: AsyncParsableCommand {
            @OptionGroup var locations: LocationOptions
            @Option(help: "Only this tenant (organization id).") var tenant: String?
            func run() async throws {
                try await Admin.call(
                    locations, .GET, "/admin/queue" + Admin.query([("tenant", tenant)]),
                    as: tenant.map(Topology.tenantAdminName) ?? Topology.adminName)
            }
        }

        struct Provide: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Provide a queued inquiry from the 副本.")
            @OptionGroup var locations: LocationOptions
            @Option(help: "The provider tenant (organization id).") var tenant: String
            @Option(help: "The 受付番号.") var reception: String
            func run() async throws {
                try await Admin.call(locations, .POST, "/admin/queue/\(tenant)/\(reception)/provide", as: Topology.tenantAdminName(tenant))
            }
        }

        struct Withhold: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Withhold a queued inquiry (不開示).")
            @OptionGroup var locations: LocationOptions
            @Option(help: "The provider tenant (organization id).") var tenant: String
            @Option(help: "The 受付番号.") var reception: String
            func run() async throws {
                try await Admin.call(locations, .POST, "/admin/queue/\(tenant)/\(reception)/withhold", as: Topology.tenantAdminName(tenant))
            }
        }
    }

    struct SetFlag: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "flag", abstract: "Set or clear 自動応答不可 (manual_response) or 不開示 (nondisclosure) on a person or a 特定個人情報名.")
        @OptionGroup var locations: LocationOptions
        @Option(help: "The organization (provider tenant) id.") var organization: String
        @Option(help: "The person's 宛名番号 at that organization.") var addressNumber: String?
        @Option(help: "The 特定個人情報名コード or class.") var information: String?
        @Option(help: "manual_response or nondisclosure") var kind: String
        @Flag(help: "Clear the flag instead of setting it.") var clear = false

        func run() async throws {
            var body: [String: Any] = ["organization": organization, "kind": kind, "enabled": !clear]
            if let addressNumber { body["addressNumber"] = addressNumber }
            if let information { body["information"] = information }
            try await Admin.call(locations, .POST, "/admin/flags", json: body, as: Topology.tenantAdminName(organization))
        }
    }
}
