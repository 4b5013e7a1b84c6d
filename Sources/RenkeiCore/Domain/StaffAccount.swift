/// A member of a 機関's staff as renkei keeps them: who (ユーザID, 部署コード), for which 事務 (the
/// business systems they may work through), from when until when (発効・失効), and how they
/// prove it (a bcrypt password hash, digests of API tokens). Kept by the 機関's tenant.
public struct StaffAccount: Sendable, Hashable, Codable {
    public var userID: String
    public var name: String
    /// 部署コード.
    public var department: String
    /// The business systems (`organization/system`) whose 事務 this person may work on.
    public var systems: [String]
    /// 発効日 and 失効日 (the last day the account is valid), yyyy-MM-dd.
    public var validFrom: String?
    public var validUntil: String?
    public var disabled: Bool
    /// bcrypt ($2b$…); nil until a password is set.
    public var passwordHash: String?
    /// SHA-256 (hex) of each API token issued for programs.
    public var tokenDigests: [String]
    /// Failed sign-ins in a row; at the topology's limit the account locks until `lockedUntilMicros`.
    public var failedSignIns: Int
    public var lockedUntilMicros: Int64?

    public init(
        userID: String, name: String, department: String, systems: [String], validFrom: String? = nil, validUntil: String? = nil,
        disabled: Bool = false, passwordHash: String? = nil, tokenDigests: [String] = [], failedSignIns: Int = 0, lockedUntilMicros: Int64? = nil
    ) {
        self.userID = userID
        self.name = name
        self.department = department
        self.systems = systems
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.disabled = disabled
        self.passwordHash = passwordHash
        self.tokenDigests = tokenDigests
        self.failedSignIns = failedSignIns
        self.lockedUntilMicros = lockedUntilMicros
    }

    /// ユーザID: 1–20 ASCII letters, digits, '-', '_' or '.', as the 電文's RequestSourceUserID allows.
    public static func validate(userID: String) throws(RenkeiError) {
        guard (1...20).contains(userID.utf8.count), userID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
        else {
            throw RenkeiError(.invalidRequest, "ユーザID \"\(userID.excerpt(24))\" must be 1 to 20 ASCII letters, digits, '-', '_' or '.'")
        }
    }

    /// Whether the account is in force on `date`: enabled, past its 発効日, not past its 失効日.
    public func validity(on date: CivilDate) -> Validity {
        if disabled { return .disabled }
        if let from = validFrom.flatMap({ try? CivilDate($0) }), date < from { return .notYetValid(from) }
        if let until = validUntil.flatMap({ try? CivilDate($0) }), date > until { return .expired(until) }
        return .valid
    }

    public enum Validity: Sendable, Hashable {
        case valid
        case disabled
        case notYetValid(CivilDate)
        case expired(CivilDate)
    }
}
