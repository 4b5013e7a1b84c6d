import ArgumentParser
import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiNodes

/// `renkei staff`: the 機関's staff accounts, through the admin API of a running network.
struct Staff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Staff accounts of a 機関: who may operate which 事務, from when until when.",
        discussion: """
            Accounts are kept by the 機関's tenant on its 中間サーバー and survive restarts and scenario \
            resets. Every inquiry and 副本 registration names its operator (userId / RequestSourceUserID, \
            or Authorization: Bearer with a session or API token); an unknown, expired, disabled or \
            unauthorised one is refused. Passwords are kept as bcrypt hashes; five failed sign-ins in a \
            row lock an account for 15 minutes (topology `staff`).
            """,
        subcommands: [Add.self, List.self, Disable.self, ResetPassword.self, Token.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account, or change one (its password and tokens stay).")
        @OptionGroup var locations: LocationOptions
        @Option(help: "The organization id, e.g. tomakomai.") var org: String
        @Option(help: "The ユーザID (1–20 ASCII letters, digits, - _ .).") var user: String
        @Option(help: "The 部署コード.") var department: String
        @Option(help: "The person's name.") var name: String = ""
        @Option(help: "The business systems (事務) they work on, comma-separated, e.g. tomakomai/kokuho,tomakomai/zei.") var systems: String
        @Option(help: "発効日 (yyyy-MM-dd).") var validFrom: String?
        @Option(help: "失効日, the last valid day (yyyy-MM-dd).") var validUntil: String?

        func run() async throws {
            var body: [String: Any] = [
                "userId": user, "name": name, "department": department,
                "systems": systems.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
            ]
            if let validFrom { body["validFrom"] = validFrom }
            if let validUntil { body["validUntil"] = validUntil }
            try await Admin.call(locations, .PUT, "/admin/staff/\(org)/\(user)", json: body, as: Topology.tenantAdminName(org))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a 機関's accounts (never their secrets).")
        @OptionGroup var locations: LocationOptions
        @Option(help: "The organization id.") var org: String
        func run() async throws { try await Admin.call(locations, .GET, "/admin/staff/\(org)", as: Topology.tenantAdminName(org)) }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account: its operator is refused at once, its sessions end.")
        @OptionGroup var locations: LocationOptions
        @Option(help: "The organization id.") var org: String
        @Option(help: "The ユーザID.") var user: String
        func run() async throws { try await Admin.call(locations, .POST, "/admin/staff/\(org)/\(user)/disable", as: Topology.tenantAdminName(org)) }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a password (read from stdin with --password-stdin), or generate one and print it once. Unlocks the account.")
        @OptionGroup var locations: LocationOptions
        @Option(help: "The organization id.") var org: String
        @Option(help: "The ユーザID.") var user: String
        @Flag(help: "Read the new password (12–72 bytes) from the first line of stdin.") var passwordStdin = false

        func run() async throws {
            var body: [String: Any] = [:]
            if passwordStdin {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw ValidationError("--password-stdin read no password from stdin")
                }
                body["password"] = line
            }
            try await Admin.call(locations, .POST, "/admin/staff/\(org)/\(user)/password", json: body, as: Topology.tenantAdminName(org))
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue an API token for a program acting as this member of staff; printed once (Authorization: Bearer).")
        @OptionGroup var locations: LocationOptions
        @Option(help: "The organization id.") var org: String
        @Option(help: "The ユーザID.") var user: String
        func run() async throws { try await Admin.call(locations, .POST, "/admin/staff/\(org)/\(user)/tokens", as: Topology.tenantAdminName(org)) }
    }
}
