public import RenkeiCore
import Synchronization

/// The request journal: for every request that reaches any interface — REST, XML 電文, batch
/// files and their rows, the wire from `renkei inquire` and `renkei load`, the admin API, and
/// refused handshakes — who made it, what it asked (or an excerpt of bytes that did not parse),
/// how it ended, and the checks each node made on the way (the decision trace), with the near
/// miss when one failed.
public final class DecisionJournal: Sendable {
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
    /// The bytes of a request that did not parse kept in its entry.
    public static let maximumExcerpt = 512

    /// The start of bytes a caller sent, as text for an entry's excerpt. A run of exactly
    /// twelve digits — the shape of a 個人番号 — is masked: the journal is read by the platform
    /// operator and trainers, who never see one.
    public static func excerpt(of bytes: some Sequence<UInt8>) -> String {
        var kept = Array(bytes.prefix(maximumExcerpt))
        var start = 0
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        while start < kept.count {
            guard isDigit(kept[start]) else {
                start += 1
                continue
            }
            var end = start
            while end < kept.count, isDigit(kept[end]) { end += 1 }
            if end - start == 12 { for index in start..<end { kept[index] = UInt8(ascii: "#") } }
            start = end
        }
        return String(decoding: kept, as: UTF8.self)
    }

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
    public func begin(
        interface: Interface, identity: String, operation: String, request: [String: String], excerpt: String? = nil, at: Int64
    ) -> String {
        var kept: [String: String] = [:]
        kept.reserveCapacity(min(request.count, Self.maximumFields))
        // Sorted only to pick the same fields when there are too many; the usual few are kept as they are.
        let fields = request.count <= Self.maximumFields ? Array(request) : Array(request.sorted(by: { $0.key < $1.key }).prefix(Self.maximumFields))
        for (key, value) in fields { kept[key.excerpt(64)] = value.excerpt(Self.maximumFieldLength) }
        return state.withLock { state in
            let id = "T\(state.next)"
            state.next += 1
            var entry = Entry(
                id: id, at: at, interface: interface, identity: identity.excerpt(Self.maximumFieldLength), operation: operation, request: kept,
                steps: [])
            entry.excerpt = excerpt?.excerpt(Self.maximumExcerpt)
            state.entries[id] = entry
            state.order.append(id)
            state.bytes += Self.size(entry)
            evict(&state)
            return id
        }
    }

    /// Adds a step to the entry of `trace` (a request outside any entry has an empty trace).
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

    /// Fills in what became known after the entry was opened: who the caller is (once its
    /// certificate is read), what the route calls the operation, the request's fields, or an
    /// excerpt of bytes that did not parse.
    public func annotate(
        _ trace: String, identity: String? = nil, operation: String? = nil, request: [String: String]? = nil, excerpt: String? = nil
    ) {
        guard !trace.isEmpty else { return }
        state.withLock { state in
            guard var entry = state.entries[trace] else { return }
            if let identity { entry.identity = identity.excerpt(Self.maximumFieldLength) }
            if let operation { entry.operation = operation.excerpt(64) }
            if let request {
                for (key, value) in request.sorted(by: { $0.key < $1.key }).prefix(Self.maximumFields - entry.request.count) {
                    entry.request[key.excerpt(64)] = value.excerpt(Self.maximumFieldLength)
                    state.bytes += key.utf8.count + value.utf8.count
                }
            }
            if let excerpt, entry.excerpt == nil {
                entry.excerpt = excerpt.excerpt(Self.maximumExcerpt)
                state.bytes += entry.excerpt?.utf8.count ?? 0
            }
            state.entries[trace] = entry
        }
    }

    /// Notes the 受付番号 an entry's inquiry was given, by whichever node gave it.
    public func reception(_ trace: String, _ number: String) {
        guard !trace.isEmpty else { return }
        state.withLock { $0.entries[trace]?.receptionNumber = number.excerpt(32) }
    }

    /// Closes an entry: its outcome from the error's code (or ok), and the HTTP status the edges
    /// answer with for it unless `status` says otherwise. The first close wins: a route that
    /// answers an error in its own format closes the entry before the edge's middleware would.
    public func finish(_ trace: String, error: RenkeiError?, status: Int? = nil, receptionNumber: String? = nil, at: Int64) {
        state.withLock { state in
            guard var entry = state.entries[trace], entry.outcome == .open else {
                if let receptionNumber { state.entries[trace]?.receptionNumber = receptionNumber }
                return
            }
            entry.outcome = error.map { Outcome($0.code) } ?? Outcome(httpStatus: status ?? 200)
            entry.status = status ?? error.map { ErrorCatalogue.renkei.httpStatus($0.code) } ?? 200
            entry.code = error?.code.rawValue
            entry.finishedAt = at
            if let receptionNumber { entry.receptionNumber = receptionNumber }
            if entry.message == nil, let message = error?.message.excerpt(Self.maximumDetailLength) {
                entry.message = message
                state.bytes += message.utf8.count
            }
            state.entries[trace] = entry
        }
    }

    /// Records a request in one go (one that ended before any node saw it: it did not parse,
    /// a handshake was refused, a batch row was refused).
    @discardableResult
    public func record(
        interface: Interface, identity: String, operation: String, request: [String: String] = [:], excerpt: String? = nil,
        error: RenkeiError?, at: Int64
    ) -> String {
        let trace = begin(interface: interface, identity: identity, operation: operation, request: request, excerpt: excerpt, at: at)
        finish(trace, error: error, at: at)
        return trace
    }

    /// Runs `body` inside a new entry, closing it with how the body ended.
    public func run<T>(
        interface: Interface, identity: String, operation: String, request: [String: String], clock: SimulationClock,
        reception: (T) -> String? = { _ in nil },
        _ body: (String) async throws(RenkeiError) -> T
    ) async throws(RenkeiError) -> T {
        let trace = begin(interface: interface, identity: identity, operation: operation, request: request, at: clock.nowMicros())
        do {
            let result = try await body(trace)
            finish(trace, error: nil, receptionNumber: reception(result), at: clock.nowMicros())
            return result
        } catch {
            finish(trace, error: error, at: clock.nowMicros())
            throw error
        }
    }

    /// Entries matching `filter`, newest first (oldest first after a cursor, for --follow).
    public func entries(_ filter: Filter = Filter()) -> [Entry] {
        state.withLock { state in
            var result = [Entry]()
            if let after = filter.after {
                // Following: everything after the cursor, oldest first, so nothing is skipped.
                let start = state.order.firstIndex { Self.serial($0) > after } ?? state.order.endIndex
                for id in state.order[start...] {
                    guard let entry = state.entries[id], filter.matches(entry) else { continue }
                    result.append(entry)
                    if result.count >= filter.limit { break }
                }
                return result
            }
            for id in state.order.reversed() {
                guard let entry = state.entries[id], filter.matches(entry) else { continue }
                result.append(entry)
                if result.count >= filter.limit { break }
            }
            return result
        }
    }

    static func serial(_ id: String) -> UInt64 { UInt64(id.dropFirst()) ?? 0 }

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
            + (entry.excerpt?.utf8.count ?? 0)
    }

    public func clear() { state.withLock { $0 = State(next: $0.next) } }
}

extension DecisionJournal {
    /// Which entries to list.
    public struct Filter: Sendable, Hashable {
        public var interface: Interface?
        /// The caller: a business system id, or the operator.
        public var identity: String?
        public var outcome: Outcome?
        /// Everything but ok (the old `--failures`).
        public var failuresOnly = false
        public var since: Int64?
        public var until: Int64?
        /// Only entries after this id (T123 → 123), oldest first: how `--follow` reads on.
        public var after: UInt64?
        public var limit = 100

        public init() {}

        func matches(_ entry: Entry) -> Bool {
            if let interface, entry.interface != interface { return false }
            if let identity, entry.identity != identity { return false }
            if let outcome, entry.outcome != outcome { return false }
            if failuresOnly, entry.outcome == .ok || entry.outcome == .open { return false }
            if let since, entry.at < since { return false }
            if let until, entry.at > until { return false }
            return true
        }
    }
}

/// What a network's tester controls and sees: faults, the journal, the scenario loaded.
public struct ControlPlane: Sendable {
    public let faults: FaultInjector
    public let journal: DecisionJournal
    public let scenario: LoadedScenario

    public init(faults: FaultInjector = FaultInjector(), journal: DecisionJournal = DecisionJournal(), scenario: LoadedScenario = LoadedScenario()) {
        self.faults = faults
        self.journal = journal
        self.scenario = scenario
    }
}
