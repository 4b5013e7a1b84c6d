import NIOCore
import RenkeiCore
import Synchronization

/// The faults in force in one network, consulted by every node on its request path.
public final class FaultInjector: Sendable {
    private struct State {
        var faults: [Fault] = []
        var next = 1
    }

    private let state = Mutex(State())

    public init() {}

    @discardableResult
    public func add(kind: Fault.Kind, target: Fault.Target, probability: Double = 1, count: Int? = nil) -> Fault {
        state.withLock { state in
            let fault = Fault(id: "F\(state.next)", kind: kind, target: target, probability: min(max(probability, 0), 1), remaining: count)
            state.next += 1
            state.faults.append(fault)
            return fault
        }
    }

    public var faults: [Fault] { state.withLock(\.faults) }

    @discardableResult
    public func remove(id: String) -> Bool {
        state.withLock { state in
            let before = state.faults.count
            state.faults.removeAll { $0.id == id }
            return state.faults.count != before
        }
    }

    public func clear() { state.withLock { $0.faults.removeAll() } }

    /// The first fault that matches and fires (its count goes down), if any.
    private func take(_ matches: (Fault) -> Bool) -> Fault? {
        state.withLock { state -> Fault? in
            guard !state.faults.isEmpty, let index = state.faults.firstIndex(where: { matches($0) && ($0.remaining ?? 1) > 0 }) else { return nil }
            let fault = state.faults[index]
            guard fault.probability >= 1 || Double.random(in: 0..<1) < fault.probability else { return nil }
            if let remaining = fault.remaining {
                state.faults[index].remaining = remaining - 1
                if remaining - 1 <= 0 { state.faults.remove(at: index) }
            }
            return fault
        }
    }

    /// Node level: a request served by `node` from `peer`.
    func applyAtNode(_ node: String, peer: String, deadline: NIODeadline) async throws(RenkeiError) {
        if take({ $0.kind == .expiredCertificate && $0.target.node == peer }) != nil {
            throw RenkeiError(.certificateExpired, "the certificate of \(peer) has expired (injected fault); the connection is refused")
        }
        guard let fault = take({ $0.target.node == node && $0.target.tenant == nil && $0.target.information == nil && $0.kind.isServing }) else {
            return
        }
        try await Self.serve(fault, at: node, deadline: deadline)
    }

    /// Provider level: a provision by `tenant` of `information`.
    func applyAtProvider(tenant: String, information: InformationCode, deadline: NIODeadline) async throws(RenkeiError) {
        let fault = take { fault in
            fault.kind.isServing && fault.target.tenant == tenant && (fault.target.information == nil || fault.target.information == information)
        }
        guard let fault else { return }
        try await Self.serve(fault, at: tenant, deadline: deadline)
    }

    /// Inquirer level: whether `tenant` should act as if it held no 符号.
    func linkCodeMissing(tenant: String, information: InformationCode) -> Bool {
        take { $0.kind == .linkCodeMissing && $0.target.tenant == tenant && ($0.target.information == nil || $0.target.information == information) }
            != nil
    }

    /// Edge level: whether a business system's certificate counts as expired.
    public func certificateExpired(holder: String) -> Bool {
        take { $0.kind == .expiredCertificate && $0.target.node == holder } != nil
    }

    private static func serve(_ fault: Fault, at place: String, deadline: NIODeadline) async throws(RenkeiError) {
        switch fault.kind {
        case let .latency(latency):
            try? await Task.sleep(for: .milliseconds(latency.sample()))
        case let .error(code, message):
            throw RenkeiError(code, message.isEmpty ? "\(place) answered with \(code) (injected fault \(fault.id))" : message)
        case .offline:
            // Say nothing until just before the caller gives up, then say who was silent: the
            // caller's own timer would otherwise fire first and blame the node next to it.
            // A third of the time left (¼ s to 5 s) leaves the answer room to travel back
            // through the hops before the callers' own timers, also on a loaded machine, where
            // a sleep can overshoot by most of a second.
            let remaining = deadline - .now()
            let margin: TimeAmount = min(max(TimeAmount.nanoseconds(remaining.nanoseconds / 3), TimeAmount.milliseconds(250)), TimeAmount.seconds(5))
            let wait = remaining - margin
            if wait > .zero { try? await Task.sleep(for: .nanoseconds(wait.nanoseconds)) }
            throw RenkeiError(
                .deadlineExceeded,
                "\(place) is offline (injected fault \(fault.id)) and did not answer in time; remove the fault with renkei admin faults remove \(fault.id)"
            )
        case .linkCodeMissing, .expiredCertificate:
            return
        }
    }
}

extension Fault.Kind {
    /// Faults that change how a request is served (rather than who may send it).
    var isServing: Bool {
        switch self {
        case .latency, .error, .offline: true
        case .linkCodeMissing, .expiredCertificate: false
        }
    }
}
