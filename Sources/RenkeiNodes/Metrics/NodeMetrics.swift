import CoreMetrics
public import Prometheus
public import RenkeiCore
public import RenkeiStore
import Synchronization

/// One node's metrics, in the Prometheus text format at its /metrics: swift-metrics types on a
/// swift-prometheus registry of the node's own (so each node's page has its series only, in
/// one process or many). Every series carries `node`.
public final class NodeMetrics: Sendable, StoreObserver {
    public let node: String
    /// False when the topology has no `metrics:`: nothing is counted (what the inquiry path
    /// pays for metrics is measured against this).
    public let isEnabled: Bool
    public let registry = PrometheusCollectorRegistry()
    private let factory: HelpedPrometheusFactory
    private let counters = Handles<CoreMetrics.Counter>()
    private let timers = Handles<CoreMetrics.Timer>()
    private let groupCommitSize: Recorder
    private let groupCommitDuration: CoreMetrics.Timer
    private let connectionsOpen: Meter
    /// What is read only when scraped (queue depths), refreshed then.
    private let refreshers = Mutex<[@Sendable () async -> Void]>([])

    static let descriptions: [String: HelpedPrometheusFactory.Description] = [
        "renkei_inquiries_total": .init(
            help: "情報提供等記録 this node wrote, by party (inquirer, network, provider), 別表第二 item and outcome"),
        "renkei_rpc_requests_total": .init(help: "Requests this node answered, by method and outcome (ok or the error code)"),
        "renkei_rpc_duration_seconds": .init(
            help: "Time this node took to answer a request, by method: one hop of the linkage, the hops after it included",
            durationBuckets: [500, 1000, 2000, 5000, 10000, 20000, 50000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000].map {
                Duration.microseconds($0)
            }),
        "renkei_store_group_commit_size": .init(
            help: "Commits merged into one SQLite transaction of this node's store", valueBuckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]),
        "renkei_store_group_commit_duration_seconds": .init(
            help: "Time one transaction of this node's store took, fsync included",
            durationBuckets: [50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100_000].map { Duration.microseconds($0) }),
        "renkei_connections_open": .init(help: "Mutual-TLS connections open at this node's RPC port"),
        "renkei_connections_total": .init(help: "Connections to this node's RPC port, by result (accepted, refused)"),
        "renkei_manual_queue_depth": .init(help: "Inquiries waiting for staff (自動応答不可) at each tenant of this 中間サーバー"),
        "renkei_permits_total": .init(help: "情報提供許可証 the network system issued, and inquiries it refused before issuing one (by code)"),
    ]

    public init(node: String, enabled: Bool = true) {
        self.node = node
        isEnabled = enabled
        factory = HelpedPrometheusFactory(registry: registry, descriptions: Self.descriptions)
        groupCommitSize = Recorder(label: "renkei_store_group_commit_size", dimensions: [("node", node)], aggregate: true, factory: factory)
        groupCommitDuration = CoreMetrics.Timer(label: "renkei_store_group_commit_duration_seconds", dimensions: [("node", node)], factory: factory)
        connectionsOpen = Meter(label: "renkei_connections_open", dimensions: [("node", node)], factory: factory)
    }

    /// The page Prometheus scrapes.
    public func exposition() async -> String {
        for refresh in refreshers.withLock({ $0 }) { await refresh() }
        return registry.emitToString()
    }

    /// Runs `refresh` before each scrape: for values read rather than counted.
    public func onScrape(_ refresh: @escaping @Sendable () async -> Void) { refreshers.withLock { $0.append(refresh) } }

    // MARK: what nodes report

    func requestAnswered(method: String, code: String?, duration: Duration) {
        guard isEnabled else { return }
        counter("renkei_rpc_requests_total", [("method", method), ("outcome", code ?? "ok")]).increment()
        timer("renkei_rpc_duration_seconds", [("method", method)]).recordNanoseconds(duration.nanoseconds)
    }

    func connectionAccepted() {
        guard isEnabled else { return }
        connectionsOpen.increment()
        counter("renkei_connections_total", [("result", "accepted")]).increment()
    }

    func connectionClosed() {
        guard isEnabled else { return }
        connectionsOpen.decrement()
    }

    func connectionRefused() {
        guard isEnabled else { return }
        counter("renkei_connections_total", [("result", "refused")]).increment()
    }

    func permitIssued() {
        guard isEnabled else { return }
        counter("renkei_permits_total", [("result", "issued")]).increment()
    }

    func permitRefused(_ code: ErrorCode) {
        guard isEnabled else { return }
        counter("renkei_permits_total", [("result", "refused"), ("code", code.rawValue)]).increment()
    }

    func manualQueue(tenant: String, depth: Int) {
        guard isEnabled else { return }
        Gauge(label: "renkei_manual_queue_depth", dimensions: [("node", node), ("tenant", tenant)], factory: factory).record(depth)
    }

    // MARK: StoreObserver

    public func committed(_ writes: [StoreWrite]) {
        guard isEnabled else { return }
        for case let .record(record) in writes {
            counter(
                "renkei_inquiries_total", [("party", record.party.rawValue), ("item", "\(record.item)"), ("outcome", record.outcome.rawValue)]
            ).increment()
        }
    }

    public func groupCommitted(commits: Int, writes: Int, duration: Duration) {
        guard isEnabled else { return }
        groupCommitSize.record(commits)
        groupCommitDuration.recordNanoseconds(duration.nanoseconds)
    }

    // MARK: handles, made once per label set

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Counter {
        counters.handle(Self.key(label, dimensions)) {
            CoreMetrics.Counter(label: label, dimensions: [("node", node)] + dimensions, factory: factory)
        }
    }

    private func timer(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Timer {
        timers.handle(Self.key(label, dimensions)) { CoreMetrics.Timer(label: label, dimensions: [("node", node)] + dimensions, factory: factory) }
    }

    private static func key(_ label: String, _ dimensions: [(String, String)]) -> HandleKey { HandleKey(label, dimensions) }
}

/// A label set as a dictionary key, without building a string per request: the names of a
/// label's dimensions are fixed, so its values tell its series apart. (Joined into one string
/// with interpolation, the key cost about 50,000 instructions per inquiry; callgrind, issue 16.)
private struct HandleKey: Hashable {
    let label: String
    let first: String
    let second: String
    let rest: String

    init(_ label: String, _ dimensions: [(String, String)]) {
        self.label = label
        first = dimensions.count > 0 ? dimensions[0].1 : ""
        second = dimensions.count > 1 ? dimensions[1].1 : ""
        switch dimensions.count {
        case ...2: rest = ""
        case 3: rest = dimensions[2].1
        default: rest = dimensions[2...].map { $0.1 }.joined(separator: "\u{1F}")
        }
    }
}

/// The metric handles made so far, by label set: making one costs a registry lookup under its
/// lock and an allocation, which the inquiry path should not pay per request.
private final class Handles<Handle: Sendable>: Sendable {
    private let made = Mutex<[HandleKey: Handle]>([:])

    func handle(_ key: HandleKey, make: () -> Handle) -> Handle {
        if let existing = made.withLock({ $0[key] }) { return existing }
        let new = make()
        return made.withLock { made in
            if let raced = made[key] { return raced }
            made[key] = new
            return new
        }
    }
}
