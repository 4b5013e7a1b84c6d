/// operator → tenant ("ms.queue"): the manual-response queue, of one tenant or all.
public struct QueueRequest: Sendable, Hashable {
    public var tenant = ""
    /// Set by a business system (not the operator): the 事務 whose queued inquiries the member
    /// of staff of `operatorToken` handles.
    public var businessSystem = ""
    public var operatorToken = ""

    public init(tenant: String = "") { self.tenant = tenant }
}

/// One inquiry waiting for staff (自動応答不可).
public struct QueueEntry: Sendable, Hashable {
    public var receptionNumber = ""
    public var tenant = ""
    public var inquirer = ""
    public var question = InquiryQuestion()
    public var integratedAddressNumber = ""
    public var queuedAtMicros: Int64 = 0
    public var deadlineMicros: Int64 = 0
    /// The provision request as the network system sent it (without its permit), to answer it later.
    public var request = ProvisionRequest()
    /// The id of the permit it came with.
    public var permitID: [UInt8] = []

    public init() {}
}

public struct QueueList: Sendable, Hashable {
    public var entries: [QueueEntry] = []

    public init(entries: [QueueEntry] = []) { self.entries = entries }
}

/// operator → tenant ("ms.resolve"): provide or withhold one queued inquiry.
public struct QueueResolution: Sendable, Hashable {
    public var tenant = ""
    public var receptionNumber = ""
    public var provide = false
    /// As in QueueRequest, when not the operator decides.
    public var businessSystem = ""
    public var operatorToken = ""
    /// Why it is withheld (or a note on a provision), kept in the audit log.
    public var reason = ""

    public init() {}
}

/// Liveness and identity check ("ping").
public struct Ping: Sendable, Hashable {
    public var text = ""

    public init(text: String = "") { self.text = text }
}
