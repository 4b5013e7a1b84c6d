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
    }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// Opens an entry and returns its id, which travels with the request as its trace id.
    public func begin(interface: String, identity: String, operation: String, request: [String: String], at: Int64) -> String {
        state.withLock { state in
            let id = "T\(state.next)"
            state.next += 1
            state.entries[id] = Entry(id: id, at: at, interface: interface, identity: identity, operation: operation, request: request, steps: [])
            state.order.append(id)
            // Evict in slices, so that a full journal costs no more per request than an empty one.
            if state.order.count > capacity + capacity / 10 {
                let excess = state.order.count - capacity
                for key in state.order.prefix(excess) { state.entries[key] = nil }
                state.order.removeFirst(excess)
            }
            return id
        }
    }

    /// Adds a step to the entry of `trace` (requests from outside the edge have none).
    public func step(_ trace: String, node: String, check: String, result: String, field: String? = nil, detail: String, at: Int64) {
        guard !trace.isEmpty else { return }
        state.withLock { state in
            state.entries[trace]?.steps.append(Step(at: at, node: node, check: check, result: result, field: field, detail: detail))
        }
    }

    public func finish(_ trace: String, status: Int, error: RenkeiError?, receptionNumber: String?) {
        state.withLock { state in
            state.entries[trace]?.status = status
            state.entries[trace]?.code = error?.code.rawValue
            state.entries[trace]?.message = error?.message
            if let receptionNumber { state.entries[trace]?.receptionNumber = receptionNumber }
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
