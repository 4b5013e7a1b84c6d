public import ArgumentParser
import Foundation
public import Logging
import RenkeiConfig
import RenkeiCore
import RenkeiPKI
import RenkeiStore
import ServiceLifecycle

/// Where renkei finds its configuration, certificates and data.
struct LocationOptions: ParsableArguments {
    @Option(help: "The topology file; the rule table and layout catalogue it names are read beside it.")
    var config: String = "config/topology.yaml"

    @Option(help: "The development PKI directory (made when missing).")
    var certs: String = "certs"

    @Option(help: "The data directory.")
    var data: String = "data"

    @Option(help: "Shift the simulation clock, e.g. 400d, -2h, 90m (trainers use it to show expiry and retention).")
    var clockOffset: String?

    @Option(
        name: .customLong("as"),
        help:
            "The certificate to call the admin API with: admin (the platform operator), trainer, or ORG-admin; by default the one the command needs.")
    var identity: String?

    var configURL: URL { URL(fileURLWithPath: config) }
    var certsURL: URL { URL(fileURLWithPath: certs) }
    var dataURL: URL { URL(fileURLWithPath: data) }

    func clock() throws -> SimulationClock {
        guard let text = clockOffset else { return SimulationClock() }
        return SimulationClock(offset: try DurationText.parse(text))
    }

    func topology(clock: SimulationClock) throws -> Topology {
        try Topology.load(from: configURL, today: clock.today())
    }
}

/// How the nodes of `renkei up` and `renkei node` keep their state and log.
struct NodeRunOptions: ParsableArguments {
    @Flag(help: "Keep everything in memory: nothing is written to the data directory but endpoints.json.")
    var memory = false

    @Option(help: "full: fsync at every group commit (survives a power cut); normal: survives a killed process only.")
    var durability: SQLiteStore.Durability = .full

    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel: Logger.Level = .warning

    @Flag(
        help: """
            Start even when a node's audit log does not extend the checkpoint the time-stamping authority last stamped \
            (cut back, rewritten or restored from an old copy). The gap is written into that node's log, and audit verify \
            reports it. Without this flag such a node refuses to start with AUDIT_GAP.
            """)
    var acceptAuditGap = false
}

/// Durations written as 30s, 15m, 2h, 400d (a leading minus moves back).
extension DurationText {
    /// As a command-line option: a bad one is a usage error that names it.
    static func parse(_ text: String) throws -> Duration {
        do { return .seconds(try seconds(text)) } catch { throw ValidationError(error.message) }
    }
}

/// Prints a renkei error the way every command does and picks the exit status from the error
/// catalogue: `DENIED:` and 3 only for the linkage's refusals, 64 for usage, 1 for the rest.
func fail(_ error: RenkeiError) -> ExitCode {
    let kind = error.code.kind
    if kind == .refusal {
        print("DENIED: \(error.code.rawValue): \(error.message)")
    } else {
        FileHandle.standardError.write(Data("error: \(error.code.rawValue): \(error.message)\n".utf8))
    }
    return ExitCode(kind.exitStatus)
}

func makeLogger(level: Logger.Level) -> Logger {
    var logger = Logger(label: "renkei")
    logger.logLevel = level
    return logger
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension SQLiteStore.Durability: ExpressibleByArgument {}
extension Topology.PermitProtection: ExpressibleByArgument {}

/// Writes a line to standard output at once, unbuffered: a parent process waiting for
/// `ready` must see it when it is printed, even through a pipe.
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Runs `service` until SIGTERM or SIGINT shuts it down gracefully: `renkei up` and `renkei node`.
func runUntilSignalled(_ service: any Service, logger: Logger) async throws {
    let group = ServiceGroup(
        configuration: .init(
            services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
    try await group.run()
}
