public import Foundation
import RenkeiConfig
import RenkeiConsole
import RenkeiCore
import RenkeiEdge
import RenkeiLoad
import RenkeiTimeStamp
import RenkeiWire

/// Every parser that a stranger or a configuration author reaches, as one function of bytes
/// each: what `renkei-fuzz` drives under libFuzzer and `FuzzRegressionTests` replays.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// POST /v1/xml: the 電文 and the 副本 XML inside it.
    case xml
    /// POST /v1/batch: 一括照会 .DAT rows and the result lines of refused rows.
    case batch
    /// The JSON bodies of the REST and admin APIs.
    case json
    /// Request targets: paths and query strings as the edge reads them.
    case target
    /// Length-prefixed protobuf frames on the wire, and each method's request body.
    case frame
    /// Topology, scenario and load-mix YAML.
    case yaml
    /// RFC 3161 DER: the TimeStampReq the time-stamping authority reads from every node, and
    /// the TimeStampResp a verifier reads from a store or an export.
    case timestamp
    /// The training console: the form bodies of every POST, and exercise files.
    case console

    /// Runs one input. Returns normally for every input; a trap here is the bug a fuzzer finds.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .xml:
            _ = try? EdgeInputs.xmlMessage(bytes)
        case .batch:
            let fixture = FuzzFixture.shared
            _ = EdgeInputs.batchFile(bytes, as: fixture.inquirer, topology: fixture.topology)
        case .json:
            EdgeInputs.jsonBody(bytes, topology: FuzzFixture.shared.topology)
        case .target:
            EdgeInputs.requestTarget(bytes, topology: FuzzFixture.shared.topology)
        case .frame:
            WireInputs.frames(bytes)
        case .yaml:
            let fixture = FuzzFixture.shared
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? Topology.parse(
                yaml: text, source: "fuzz.yaml", rules: fixture.topology.rules, catalogue: fixture.topology.catalogue, today: fixture.today)
            _ = try? Scenario.parse(yaml: text, topology: fixture.topology)
            _ = try? LoadMix.parse(yaml: text)
        case .timestamp:
            _ = try? TimeStampRequest.imprint(of: bytes)
            _ = TimeStampResponse.inspect(bytes)
        case .console:
            ConsoleInputs.formBody(bytes)
            ConsoleInputs.exercise(String(decoding: bytes, as: UTF8.self), topology: FuzzFixture.shared.topology)
        }
    }

    /// Where this target's seed corpus lives in the repository.
    public func corpus(in repository: URL) -> URL { repository.appendingPathComponent("Fuzz/corpus/\(rawValue)") }

    /// Where inputs that once crashed this target are kept, replayed by every test run.
    public func regressions(in repository: URL) -> URL { repository.appendingPathComponent("Fuzz/regressions/\(rawValue)") }
}

/// The embedded default topology, loaded once: batch rows and JSON bodies are checked against it.
final class FuzzFixture: Sendable {
    static let shared = FuzzFixture()

    let topology: Topology
    let inquirer: Organization
    let today = CivilDate(daysSinceEpoch: 20_454)

    private init() {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let config =
            ProcessInfo.processInfo.environment["RENKEI_CONFIG"].map { URL(fileURLWithPath: $0) }
            ?? repository.appendingPathComponent("config/topology.yaml")
        do {
            topology = try Topology.load(from: config, today: today)
        } catch {
            // A fuzz run without its fixture would test nothing: stop at once and say why.
            fatalError("renkei-fuzz needs the topology at \(config.path) (set RENKEI_CONFIG): \(error)")
        }
        guard let first = topology.organization(id: "tomakomai") ?? topology.organizations.first(where: { $0.localGovernmentCode != nil }) else {
            fatalError("the topology at \(config.path) has no organizations")
        }
        inquirer = first
    }
}
