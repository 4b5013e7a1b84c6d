import Foundation
import RenkeiWire
import Synchronization
public import Testing

/// A PostgreSQL server for the tests of the network system's PostgreSQL store.
///
/// `.ci/run` starts one and names it in RENKEI_TEST_POSTGRES_URL. Without that variable (a
/// developer's `swift test`), the first test that asks starts a throwaway server of its own
/// with the image's PostgreSQL binaries (initdb, pg_ctl; as the `postgres` user when the tests
/// run as root, which initdb refuses), on a free loopback port, trusting local connections,
/// and stops it when the test process exits. Each test takes a schema of its own.
public enum TestPostgres {
    /// The server's URL (no schema); a missing PostgreSQL fails the test with a sentence.
    public static func url(sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        if let given = ProcessInfo.processInfo.environment["RENKEI_TEST_POSTGRES_URL"], !given.isEmpty { return given }
        do {
            return try await server.value
        } catch {
            Issue.record("this test needs a PostgreSQL server: \(error)", sourceLocation: sourceLocation)
            throw error
        }
    }

    /// A schema name no other test uses.
    public static func freshSchema(_ prefix: String = "t") -> String {
        "\(prefix)_\(UInt64.random(in: 0...UInt64.max) % 1_000_000_000_000)"
    }

    /// The URL with `schema` named in it, as a topology's network_system.postgres takes it.
    public static func url(schema: String) async throws -> String {
        let base = try await url()
        return base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// Started on a thread of its own: it waits for initdb and pg_ctl, which must not hold one
    /// of the few threads the tests' servers run on.
    private static let server = Task { () throws -> String in
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try start() }) }
        }
    }

    private static func start() throws -> String {
        guard let bin = binaries() else {
            throw Unavailable(
                description:
                    "no initdb and pg_ctl found (PATH, /usr/lib/postgresql/*/bin); install PostgreSQL's server (apt-get install postgresql-15) or set RENKEI_TEST_POSTGRES_URL"
            )
        }
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("renkei-test-pg-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let asRoot = geteuid() == 0
        if asRoot { try run("/bin/chown", ["-R", "postgres:postgres", directory.path]) }
        let data = directory.appendingPathComponent("data").path
        let port = try FreePorts.take(1)[0].port
        func server(_ tool: String, _ arguments: [String]) throws {
            if asRoot {
                try run("/usr/sbin/runuser", ["-u", "postgres", "--", "\(bin)/\(tool)"] + arguments)
            } else {
                try run("\(bin)/\(tool)", arguments)
            }
        }
        try server("initdb", ["-D", data, "-U", "renkei", "-A", "trust", "-E", "UTF8", "--no-sync"])
        // -w waits until the server accepts connections: the readiness signal.
        try server(
            "pg_ctl",
            [
                "-D", data, "-l", directory.appendingPathComponent("log").path, "-w", "-t", "60", "-o",
                "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start",
            ])
        stopAtExit(bin: bin, data: data, asRoot: asRoot)
        return "postgres://renkei@127.0.0.1:\(port)/postgres"
    }

    private static func binaries() -> String? {
        var candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
        return candidates.first { directory in
            FileManager.default.isExecutableFile(atPath: "\(directory)/initdb") && FileManager.default.isExecutableFile(atPath: "\(directory)/pg_ctl")
        }.map { URL(fileURLWithPath: "\($0)/initdb").resolvingSymlinksInPath().deletingLastPathComponent().path }
    }

    /// Runs a tool to its end, through system(3), which waits with waitpid. (Foundation's
    /// Process learns of an exit from a descriptor the child holds; the server pg_ctl leaves
    /// running inherits it, and the wait would never end.) The arguments are our own paths.
    private static func run(_ executable: String, _ arguments: [String]) throws {
        let transcript = NSTemporaryDirectory() + "renkei-test-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out"
        defer { try? FileManager.default.removeItem(atPath: transcript) }
        let quoted = ([executable] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        // The server must not inherit this process's descriptors (sockets the tests listen on
        // among them: it would hold their ports for as long as it runs), so all above 2 are closed.
        let closeInherited = "for fd in /proc/$$/fd/*; do n=${fd##*/}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done 2>/dev/null"
        let status = system(
            "/bin/bash -c '\(closeInherited.replacingOccurrences(of: "'", with: "'\\''")); exec \(quoted.replacingOccurrences(of: "'", with: "'\\''")) </dev/null >\(transcript) 2>&1'"
        )
        guard status == 0 else {
            let printed = (try? String(contentsOfFile: transcript, encoding: .utf8)) ?? ""
            throw Unavailable(description: "\(executable) \(arguments.joined(separator: " ")) exited \(status): \(printed.suffix(600))")
        }
    }

    private static func stopAtExit(bin: String, data: String, asRoot: Bool) {
        let stop = "\(bin)/pg_ctl -D \(data) -m immediate stop"
        stopCommand.withLock { $0 = asRoot ? "/usr/sbin/runuser -u postgres -- \(stop)" : stop }
        atexit {
            if let command = TestPostgres.stopCommand.withLock({ $0 }) { _ = system(command + " >/dev/null 2>&1") }
        }
    }

    private static let stopCommand = Mutex<String?>(nil)
}
