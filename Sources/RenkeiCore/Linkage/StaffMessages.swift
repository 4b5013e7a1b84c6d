/// operator → tenant ("ms.staff"): the 機関's staff accounts — list, add or change, disable,
/// set a password, issue an API token.
public struct StaffRequest: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable, CaseIterable {
        case list
        /// Adds the account, or changes its name, 部署, 事務 and dates (its secrets are kept).
        case put
        case disable
        /// Sets `password`, or a generated one returned once in `StaffResponse.secret`.
        case resetPassword = "reset-password"
        /// A new API token for programs, returned once in `StaffResponse.secret`.
        case issueToken = "issue-token"
    }

    public var tenant = ""
    public var action = Action.list
    public var account = StaffSummary()
    public var userID = ""
    public var password = ""

    public init() {}
}

/// A staff account as it is shown: never its password hash or token digests.
public struct StaffSummary: Sendable, Hashable {
    public var userID = ""
    public var name = ""
    public var department = ""
    public var systems: [String] = []
    public var validFrom = ""
    public var validUntil = ""
    public var disabled = false
    public var hasPassword = false
    public var tokens = 0
    public var lockedUntilMicros: Int64 = 0

    public init() {}
}

public struct StaffResponse: Sendable, Hashable {
    public var accounts: [StaffSummary] = []
    /// A generated password or a new API token: shown once, kept only as a hash.
    public var secret = ""

    public init() {}
}

/// business system or AddressSystem → tenant ("ms.signIn"): a member of staff signs in with
/// their password, or (`signOutToken` set) signs out.
public struct SignInRequest: Sendable, Hashable {
    public var tenant = ""
    public var businessSystem = ""
    public var userID = ""
    public var password = ""
    public var signOutToken = ""

    public init() {}
}

public struct SignInResponse: Sendable, Hashable {
    /// A session token for `Authorization: Bearer`; empty after a sign-out.
    public var token = ""
    public var expiresAtMicros: Int64 = 0
    public var account = StaffSummary()

    public init() {}
}
