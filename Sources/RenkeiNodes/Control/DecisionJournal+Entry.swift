public import RenkeiCore

extension DecisionJournal {
    /// Which interface a request reached.
    public enum Interface: String, Sendable, Hashable, Encodable, CaseIterable {
        /// REST/JSON on an edge.
        case rest
        /// XML 電文 on an edge.
        case xml
        /// A batch (一括照会) file, and each of its rows (`batch-row`).
        case batch
        case batchRow = "batch-row"
        /// Mutual-TLS protobuf from a business system's own client (`renkei inquire`, `renkei load`).
        case wire
        /// The tester's admin API.
        case admin
        /// The training console: a member of staff signed in with a password (the identity is
        /// `organization/user`); the nodes' steps of the request are in the same entry.
        case console
        /// A TLS handshake an edge or node refused (no request was read).
        case tls
    }

    /// How a request ended, for people and filters.
    public enum Outcome: String, Sendable, Hashable, Encodable, CaseIterable {
        /// Still being handled (an open entry).
        case open
        case ok
        /// The linkage refused it (別表第二, permissions, 符号, permits).
        case denied
        /// The request was wrong: it did not parse, or a field or identifier was wrong.
        case invalid
        /// No answer in time.
        case timeout
        /// It could not be carried out (a node down, a fault, a certificate, an internal error).
        case failed

        /// An answer's status when no error reached the journal.
        init(httpStatus: Int) {
            switch httpStatus {
            case ..<400: self = .ok
            case 504: self = .timeout
            case ..<500: self = .invalid
            default: self = .failed
            }
        }

        init(_ code: ErrorCode?) {
            guard let code else {
                self = .ok
                return
            }
            switch code {
            case .deadlineExceeded, .manualResponseTimeout: self = .timeout
            default:
                switch code.kind {
                case .refusal: self = .denied
                case .request, .usage: self = .invalid
                case .failure: self = .failed
                }
            }
        }
    }

    public struct Step: Sendable, Hashable {
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

    /// For a denial: the check that failed, the field at fault, and what would have been accepted.
    public struct NearMiss: Sendable, Hashable, Encodable {
        public let check: String
        public let field: String?
        public let detail: String
        public let accepted: String?
    }

    public struct Entry: Sendable, Hashable {
        public let id: String
        /// Microseconds since 1970; written as ISO 8601 JST.
        public let at: Int64
        public let interface: Interface
        /// The certificate name of the caller (or the remote address, for a refused handshake).
        public internal(set) var identity: String
        public internal(set) var operation: String
        public internal(set) var request: [String: String]
        /// What the caller sent, as an excerpt, when it did not parse.
        public var excerpt: String?
        /// The HTTP status the edges answer with for this outcome (200 when it succeeded).
        public var status: Int?
        public var code: String?
        public var message: String?
        public var receptionNumber: String?
        public var steps: [Step]
        public var outcome: Outcome = .open
        public var finishedAt: Int64?

        /// The first failed check, with what would have passed where the check knows it.
        public var nearMiss: NearMiss? {
            guard outcome == .denied || outcome == .invalid, let step = steps.first(where: { $0.result == "fail" }) else { return nil }
            let accepted = steps.first { $0.result == "accepted" && $0.check == step.check }?.detail
            return NearMiss(check: "\(step.node): \(step.check)", field: step.field, detail: step.detail, accepted: accepted)
        }
    }
}

extension DecisionJournal.Entry: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, at, interface, identity, operation, request, excerpt, status, code, message, receptionNumber, steps, outcome, durationMs,
            nearMiss
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(JSTTime.iso8601(at), forKey: .at)
        try container.encode(interface, forKey: .interface)
        try container.encode(identity, forKey: .identity)
        try container.encode(operation, forKey: .operation)
        try container.encode(request, forKey: .request)
        try container.encodeIfPresent(excerpt, forKey: .excerpt)
        try container.encodeIfPresent(status, forKey: .status)
        try container.encodeIfPresent(code, forKey: .code)
        try container.encodeIfPresent(message, forKey: .message)
        try container.encodeIfPresent(receptionNumber, forKey: .receptionNumber)
        try container.encode(outcome, forKey: .outcome)
        try container.encodeIfPresent(finishedAt.map { Double($0 - at) / 1000 }, forKey: .durationMs)
        try container.encodeIfPresent(nearMiss, forKey: .nearMiss)
        try container.encode(steps.map(StepBody.init), forKey: .steps)
    }

    /// A step as JSON: its time in JST.
    struct StepBody: Encodable {
        let at: String
        let node: String
        let check: String
        let result: String
        let field: String?
        let detail: String

        init(_ step: DecisionJournal.Step) {
            at = JSTTime.iso8601(step.at)
            node = step.node
            check = step.check
            result = step.result
            field = step.field
            detail = step.detail
        }
    }
}
