/// 符号取得 (domain.md §4.2): 処理通番 from the network system, 個人番号 through J-LIS,
/// 住民票コード to the network system, 符号 to the 中間サーバー.

/// AddressSystem (or the operator) → 中間サーバー ("ms.beginAcquisition").
public struct BeginAcquisitionRequest: Sendable, Hashable {
    public var tenant = ""
    public var integratedAddressNumbers: [String] = []

    public init() {}
}

/// 処理通番, aligned with the persons asked for.
public struct BeginAcquisitionResponse: Sendable, Hashable {
    public var processingNumbers: [String] = []

    public init() {}
}

/// 中間サーバー → network system ("nws.processingNumbers").
public struct ProcessingNumbersRequest: Sendable, Hashable {
    public var organization = ""
    public var count: UInt32 = 0

    public init() {}
}

public struct ProcessingNumbersResponse: Sendable, Hashable {
    public var processingNumbers: [String] = []

    public init() {}
}

/// AddressSystem (or operator) → J-LIS ("jlis.acquire"): 符号取得要求.
public struct AcquisitionRequest: Sendable, Hashable {
    public struct Acquisition: Sendable, Hashable {
        public var myNumber = ""
        public var processingNumber = ""

        public init(myNumber: String = "", processingNumber: String = "") {
            self.myNumber = myNumber
            self.processingNumber = processingNumber
        }
    }

    public var organization = ""
    public var entries: [Acquisition] = []

    public init() {}
}

/// J-LIS → network system ("nws.issueLinkCodes").
public struct LinkCodeIssueRequest: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var residentCode = ""
        public var processingNumber = ""

        public init(residentCode: String = "", processingNumber: String = "") {
            self.residentCode = residentCode
            self.processingNumber = processingNumber
        }
    }

    public var organization = ""
    public var entries: [Entry] = []

    public init() {}
}

/// network system → 中間サーバー ("ms.notifyLinkCodes"): 符号通知.
public struct LinkCodeNotification: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var processingNumber = ""
        public var linkCode = ""

        public init(processingNumber: String = "", linkCode: String = "") {
            self.processingNumber = processingNumber
            self.linkCode = linkCode
        }
    }

    public var organization = ""
    public var entries: [Entry] = []

    public init() {}
}

/// One entry of an acquisition: its 処理通番, and the refusal when it failed.
public struct AcquisitionOutcome: Sendable, Hashable {
    public var processingNumber = ""
    /// Nil when the 符号 was stored.
    public var status: RenkeiError?

    public init(processingNumber: String = "", status: RenkeiError? = nil) {
        self.processingNumber = processingNumber
        self.status = status
    }
}

/// The answer to every step of an acquisition: one outcome per entry, in order.
public struct AcquisitionResponse: Sendable, Hashable {
    public var outcomes: [AcquisitionOutcome] = []

    public init(outcomes: [AcquisitionOutcome] = []) { self.outcomes = outcomes }
}

/// business system → AddressSystem ("atena.acquire"): 符号取得 for one person.
public struct PersonSelector: Sendable, Hashable {
    public var person: PersonReference?

    public init(_ person: PersonReference? = nil) { self.person = person }
}
