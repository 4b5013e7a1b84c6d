public import RenkeiCore
import Synchronization

/// A store that keeps everything in memory: for tests and for runs that need no durability.
/// A node restarted on the same instance reloads its state, as it would from disk.
public actor MemoryStore: NodeStore {
    private var state: [StoreWrite] = []
    private var recordLog: [ProvisionRecord] = []
    private var auditLog: [AuditEvent] = []
    private var inquiries: [String: [UInt8]] = [:]
    private let observer = Mutex<(any StoreObserver)?>(nil)

    public init() {}

    public nonisolated func observe(_ observer: any StoreObserver) { self.observer.withLock { $0 = observer } }

    public func commit(_ writes: [StoreWrite]) throws(RenkeiError) {
        defer {
            if let observer = observer.withLock({ $0 }) {
                observer.groupCommitted(commits: 1, writes: writes.count, duration: .zero)
                observer.committed(writes)
            }
        }
        for write in writes {
            switch write {
            case let .record(record): recordLog.append(record)
            case let .audit(event): auditLog.append(event)
            case let .recordsPurged(before): recordLog.removeAll { $0.requestedAt < before }
            case .stateReset:
                state.removeAll {
                    switch $0 {
                    case .staff, .staffSeeded: false
                    default: true
                    }
                }
                recordLog.removeAll()
                inquiries.removeAll()
            case let .inquiryState(tenant, reception, _, payload, _):
                inquiries["\(tenant)/\(reception)"] = payload
            case let .manualAnswerSent(tenant, reception):
                state.removeAll { if case let .manualAnswerPending(t, r, _) = $0 { t == tenant && r == reception } else { false } }
            case let .usedPermitsPruned(before):
                state.removeAll { if case let .permitUsed(_, _, expiresAt) = $0 { expiresAt < before } else { false } }
            default: state.append(write)
            }
        }
    }

    public func loadState() -> StoredState { StoredState(writes: state) }

    public func records(_ query: RecordQuery) -> [ProvisionRecord] {
        Array(recordLog.reversed().lazy.filter(query.matches).prefix(query.limit))
    }

    public func countRecords(_ query: RecordQuery) -> Int { recordLog.count(where: query.matches) }

    public func countRecords(requestedBefore micros: Int64) -> Int {
        recordLog.count { $0.requestedAt < micros }
    }

    public func auditEvents() -> [AuditEvent] { auditLog }

    public func inquiryPayload(tenant: OrganizationCode, reception: ReceptionNumber) -> [UInt8]? { inquiries["\(tenant)/\(reception)"] }

    public func close() {}
}
