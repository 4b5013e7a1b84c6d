/// operator → J-LIS ("jlis.register"): the registry's 個人番号 ↔ 住民票コード.
public struct ResidentRegistration: Sendable, Hashable {
    public struct Resident: Sendable, Hashable {
        public var myNumber = ""
        public var residentCode = ""

        public init(myNumber: String = "", residentCode: String = "") {
            self.myNumber = myNumber
            self.residentCode = residentCode
        }
    }

    public var residents: [Resident] = []

    public init() {}
}

/// operator → AddressSystem ("atena.register"), or → 中間サーバー for a 機関 without an
/// AddressSystem ("ms.registerAddressees", my number left empty).
public struct AddresseeRegistration: Sendable, Hashable {
    public struct Addressee: Sendable, Hashable {
        public var addressNumber = ""
        public var integratedAddressNumber = ""
        public var myNumber = ""
        public var name = ""
        public var acquireLinkCode = false

        public init() {}
    }

    public var tenant = ""
    public var addressees: [Addressee] = []
    /// Run 符号取得 for the addressees that ask for it.
    public var acquireLinkCodes = false

    public init() {}
}

/// How many were registered, how many 符号 acquired, and which acquisitions failed.
public struct AddresseeRegistrationResponse: Sendable, Hashable {
    public var registered: UInt32 = 0
    public var linkCodesAcquired: UInt32 = 0
    public var failures: [AcquisitionOutcome] = []

    public init(registered: UInt32 = 0) { self.registered = registered }
}

/// → 中間サーバー ("ms.registerDuplicates"): 副本登録 and 削除.
public struct DuplicateRegistration: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        /// From the AddressSystem or the operator; empty when the person is by 宛名番号.
        public var integratedAddressNumber = ""
        /// From a business system: the person by its 宛名番号.
        public var addressNumber = ""
        public var record: DuplicateRecord
        /// 登録削除区分: delete the record with this key instead of registering it.
        public var delete = false

        public init(record: DuplicateRecord, integratedAddressNumber: String = "", addressNumber: String = "", delete: Bool = false) {
            self.record = record
            self.integratedAddressNumber = integratedAddressNumber
            self.addressNumber = addressNumber
            self.delete = delete
        }
    }

    public var tenant = ""
    public var entries: [Entry] = []
    /// The business system registering, set by an AddressSystem on its behalf.
    public var businessSystem = ""
    /// The operator (RequestSourceUserID, 部署コード) or a staff token, as for an inquiry.
    public var userID = ""
    public var departmentCode = ""
    public var operatorToken = ""

    public init(entries: [Entry] = []) { self.entries = entries }
}

public struct DuplicateRegistrationResponse: Sendable, Hashable {
    public var registered: UInt32 = 0
    public var deleted: UInt32 = 0

    public init() {}
}

/// → AddressSystem ("atena.duplicates") → 中間サーバー ("ms.duplicates"): the 副本 held for
/// one person, of the 特定個人情報 the caller's 事務 provides.
public struct DuplicateQuery: Sendable, Hashable {
    public var tenant = ""
    /// The business system asking, set by an AddressSystem on its behalf.
    public var businessSystem = ""
    /// The signed-in member of staff (session or API token) the 副本 are shown to.
    public var operatorToken = ""
    /// The person by 宛名番号 (from a business system) or 団体内統合宛名番号.
    public var addressNumber = ""
    public var integratedAddressNumber = ""
    /// Only this 特定個人情報名 when set.
    public var informationCode = ""

    public init() {}
}

/// The 副本 a `DuplicateQuery` found, ordered by 特定個人情報名, data set and record key.
public struct DuplicateList: Sendable, Hashable {
    /// A person has a few 副本 per 特定個人情報名 (one per 年度); a list stops at this many.
    public static let maximumRecords = 1_000

    public var records: [DuplicateRecord] = []

    public init(records: [DuplicateRecord] = []) { self.records = records }
}

/// 自動応答不可 and 不開示.
public enum FlagKind: Sendable, Hashable {
    case unspecified
    /// 自動応答不可: provide only after staff review.
    case manualResponse
    /// 提供側不開示: the exchange is not shown on マイナポータル.
    case nondisclosure
}

/// → tenant ("ms.flags"): flags per person, per 特定個人情報名, or both.
public struct FlagRegistration: Sendable, Hashable {
    public struct Flag: Sendable, Hashable {
        /// Empty for a flag on the whole 特定個人情報名.
        public var integratedAddressNumber = ""
        /// Empty for a flag on every 特定個人情報名 of the person.
        public var informationCode = ""
        public var kind = FlagKind.unspecified
        public var enabled = false

        public init() {}
    }

    public var tenant = ""
    public var flags: [Flag] = []

    public init() {}
}

extension FlagKind {
    /// The name a flag is stored under.
    public var storeName: String {
        switch self {
        case .manualResponse: "manual_response"
        case .nondisclosure: "nondisclosure"
        case .unspecified: "unspecified"
        }
    }

    public init(storeName: String) {
        switch storeName {
        case "manual_response": self = .manualResponse
        case "nondisclosure": self = .nondisclosure
        default: self = .unspecified
        }
    }
}
