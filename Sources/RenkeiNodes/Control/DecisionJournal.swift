public import RenkeiCore
import Synchronization

/// The request journal: for every request a business system makes, who made it, what it
/// asked, how it ended, and the checks each node made on the way (the decision trace), with
/// the near miss when one failed.
public final class DecisionJournal: Sendable {
    public struct Step: Sendable, Hashable, Codable {
        public let at: Int64
        public let node: String
        /// What was checked: 事務 authorization, 別表第二, 符号, 情報提供許可証, 副本 …
        public let check: String
        /// pass, fail or info.
        public let result: String
        /// For a failure: the field at fault (item, inquirer, provider, information, person …).
        public let field: String?
        public let detail: String
    }

    public struct Entry: Sendable, Hashable, Codable {
        public let id: String
        public let at: Int64
        /// rest, xml, batch or wire.
        public let interface: String
        /// The certificate name of the caller.
        public let identity: String
        public let operation: String
        public let request: [String: String]
        public var status: Int?
        public var code: String?
        public var message: String?
        public var receptionNumber: String?
        public var steps: [Step]
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var order: [String] = []
        var next: UInt64 = 1
        /// What the kept entries hold, about, in bytes of text.
        var bytes = 0
    }

    /// What one entry may keep: a caller controls every string in it, so each is cut to an
    /// excerpt and the whole journal is bounded in bytes as well as in entries.
    public static let maximumFieldLength = 256
    public static let maximumFields = 32
    public static let maximumSteps = 64
    public static let maximumDetailLength = 512

    public let capacity: Int
    public let capacityBytes: Int
    private let state = Mutex(State())

    public init(capacity: Int = 10_000, capacityBytes: Int = 32 << 20) {
        self.capacity = capacity
        self.capacityBytes = capacityBytes
    }

    /// The journal's size now: entries kept, and about how many bytes of text they hold.
    public var usage: (entries: Int, bytes: Int) { state.withLock { ($0.entries.count, $0.bytes) } }

    /// Opens an entry and returns its id, which travels with the request as its trace id.
    public func begin(interface: String, identity: String, operation: String, request: [String: String], at: Int64) -> String {
        var kept: [String: String] = [:]
        for (key, value) in request.sorted(by: { $0.key < $1.key }).prefix(Self.maximumFields) {
            kept[key.excerpt(64)] = value.excerpt(Self.maximumFieldLength)
        }
        return state.withLock { state in
            let id = "T\(state.next)"
            state.next += 1
            let entry = Entry(id: id, at: at, interface: interface, identity: identity, operation: operation, request: kept, steps: [])
            state.entries[id] = entry
            state.order.append(id)
            state.bytes += Self.size(entry)
            evict(&state)
            return id
        }
    }

    /// Adds a step to the entry of `trace` (requests from outside the edge have none).
    public func step(_ trace: String, node: String, check: String, result: String, field: String? = nil, detail: String, at: Int64) {
        guard !trace.isEmpty else { return }
        let step = Step(at: at, node: node, check: check, result: result, field: field, detail: detail.excerpt(Self.maximumDetailLength))
        state.withLock { state in
            guard let count = state.entries[trace]?.steps.count, count < Self.maximumSteps else { return }
            state.entries[trace]?.steps.append(step)
            state.bytes += 64 + step.detail.utf8.count + step.check.utf8.count
            evict(&state)
        }
    }

    public func finish(_ trace: String, status: Int, error: RenkeiError?, receptionNumber: String?) {
        state.withLock { state in
            state.entries[trace]?.status = status
            state.entries[trace]?.code = error?.code.rawValue
            if let receptionNumber { state.entries[trace]?.receptionNumber = receptionNumber }
            guard state.entries[trace]?.message == nil else { return }
            let message = error?.message.excerpt(Self.maximumDetailLength)
            state.entries[trace]?.message = message
            if state.entries[trace] != nil { state.bytes += message?.utf8.count ?? 0 }
        }
    }

    /// The newest entries first, optionally only one caller's or only failures.
    public func entries(identity: String? = nil, failuresOnly: Bool = false, limit: Int = 100) -> [Entry] {
        state.withLock { state in
            var result = [Entry]()
            for id in state.order.reversed() {
                guard let entry = state.entries[id] else { continue }
                if let identity, entry.identity != identity { continue }
                if failuresOnly, entry.code == nil { continue }
                result.append(entry)
                if result.count >= limit { break }
            }
            return result
        }
    }

    /// Drops the oldest entries once the journal is over either capacity, in slices, so that a
    /// full journal costs no more per request than an empty one. The newest entry always stays.
    private func evict(_ state: inout State) {
        guard state.order.count > capacity + capacity / 10 || state.bytes > capacityBytes else { return }
        var excess = max(0, state.order.count - capacity)
        var freed = 0
        for key in state.order.prefix(excess) { freed += state.entries[key].map(Self.size) ?? 0 }
        while state.bytes - freed > capacityBytes * 9 / 10, excess < state.order.count - 1 {
            freed += state.entries[state.order[excess]].map(Self.size) ?? 0
            excess += 1
        }
        for key in state.order.prefix(excess) { state.entries[key] = nil }
        state.order.removeFirst(excess)
        state.bytes -= freed
    }

    /// About how many bytes of text an entry holds (what `State.bytes` counts for it).
    private static func size(_ entry: Entry) -> Int {
        128 + entry.request.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count } + entry.identity.utf8.count + entry.operation.utf8.count
            + entry.steps.reduce(0) { $0 + 64 + $1.detail.utf8.count + $1.check.utf8.count } + (entry.message?.utf8.count ?? 0)
    }

    public func clear() { state.withLock { $0 = State(next: $0.next) } }
}

/// What a network's tester controls: faults and the journal.
public struct ControlPlane: Sendable {
    public let faults: FaultInjector
    public let journal: DecisionJournal

    public init(faults: FaultInjector = FaultInjector(), journal: DecisionJournal = DecisionJournal()) {
        self.faults = faults
        self.journal = journal
    }
}
