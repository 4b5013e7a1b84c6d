public import ArgumentParser
import Foundation
public import Logging
import RenkeiConfig
import RenkeiCore
import RenkeiPKI
import RenkeiStore

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

/// Durations written as 30s, 15m, 2h, 400d (a leading minus moves back).
enum DurationText {
    static let maximumSeconds: Int64 = 36_500 * 86_400

    static func parse(_ text: String) throws -> Duration {
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        guard let unit = body.last, let value = Int64(body.dropLast()) else {
            throw ValidationError("\"\(text.excerpt(32))\" is not a duration; write it like 30s, 15m, 2h or 400d")
        }
        let unitSeconds: Int64
        switch unit {
        case "s": unitSeconds = 1
        case "m": unitSeconds = 60
        case "h": unitSeconds = 3600
        case "d": unitSeconds = 86400
        default: throw ValidationError("\"\(text.excerpt(32))\" has an unknown unit; use s, m, h or d")
        }
        // A century either way: the seven-year retention and permit lifetimes need no more, and
        // the simulation clock's microseconds stay far from overflowing.
        let (seconds, overflow) = value.multipliedReportingOverflow(by: unitSeconds)
        guard !overflow, value >= 0, seconds <= maximumSeconds else {
            throw ValidationError(
                "\"\(text.excerpt(32))\" is out of range: a duration here is at most 36500d (a century), and a clock offset at most that either way")
        }
        return .seconds(negative ? -seconds : seconds)
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
