import Crypto
import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiStore
import RenkeiWire

/// A live sign-in.
struct StaffSession: Sendable {
    let userID: String
    let expiresAt: Int64
}

/// The 機関's staff: accounts kept here, the operator every inquiry and registration names,
/// and sign-in. Password hashing (bcrypt) runs outside the actor (see IntermediateServer+Staff):
/// here only the bookkeeping that must be serial — accounts, failures, lockout, sessions.
extension Tenant {
    // MARK: the operator of a request

    /// The member of staff a request names — by a token, or by the ユーザID (and 部署コード) the
    /// business system sends — checked to be in force and to work on the system's 事務.
    /// Nil only when the topology does not require an operator and none is named.
    func requireOperator(
        user: String, department: String, token: String, system: Topology.BusinessSystemSpec
    ) throws(RenkeiError)
        -> StaffAccount?
    {
        let account: StaffAccount
        if !token.isEmpty {
            let digest = Self.digest(token)
            let now = environment.clock.nowMicros()
            let owner = sessions[digest].flatMap { $0.expiresAt > now ? $0.userID : nil } ?? tokenOwners[digest]
            guard let owner, let found = staff[owner] else {
                throw RenkeiError(.tokenInvalid, "the Bearer token is not a live session or API token of \(organization.name); sign in again")
            }
            guard user.isEmpty || user == found.userID else {
                throw RenkeiError(.operatorNotAuthorized, "the token is \(found.userID)'s, and the request names ユーザID \(user.excerpt(20))")
            }
            account = found
        } else if user.isEmpty {
            guard environment.topology.staff.requireOperator else { return nil }
            throw RenkeiError(
                .operatorRequired,
                "\(system.id) names no operator: send the ユーザID of a member of \(organization.name)'s staff (userId, RequestSourceUserID) or a Bearer token"
            )
        } else {
            guard let found = staff[user] else {
                throw RenkeiError(.unknownOperator, "\(organization.name) has no member of staff with ユーザID \(user.excerpt(20))")
            }
            account = found
        }
        try requireInForce(account)
        guard account.systems.contains(system.id) else {
            throw RenkeiError(
                .operatorNotAuthorized,
                "\(account.userID) works on \(account.systems.isEmpty ? "no 事務" : account.systems.joined(separator: ", ")), not on \(system.id)")
        }
        guard department.isEmpty || department == account.department else {
            throw RenkeiError(
                .operatorNotAuthorized, "\(account.userID) belongs to 部署 \(account.department), not to \(department.excerpt(20))")
        }
        return account
    }

    private func requireInForce(_ account: StaffAccount) throws(RenkeiError) {
        let today = environment.clock.today()
        switch account.validity(on: today) {
        case .valid: return
        case .disabled: throw RenkeiError(.operatorNotInForce, "\(account.userID)'s account is disabled")
        case let .notYetValid(from): throw RenkeiError(.operatorNotInForce, "\(account.userID)'s account is valid from \(from), not on \(today)")
        case let .expired(until): throw RenkeiError(.operatorNotInForce, "\(account.userID)'s account expired after \(until) (失効); today is \(today)")
        }
    }

    // MARK: administration

    func staffList() -> StaffResponse {
        var response = StaffResponse()
        response.accounts = staff.values.sorted { $0.userID < $1.userID }.map(Self.summary)
        return response
    }

    /// Adds an account or changes its name, 部署, 事務 and dates; its password and tokens stay.
    func putStaff(_ summary: StaffSummary, actor: String) async throws(RenkeiError) -> StaffResponse {
        try StaffAccount.validate(userID: summary.userID)
        guard !summary.department.isEmpty, summary.department.utf8.count <= 20 else {
            throw RenkeiError(.invalidRequest, "部署コード is 1 to 20 characters")
        }
        guard summary.name.count <= 64 else { throw RenkeiError(.invalidRequest, "a name is at most 64 characters") }
        for system in summary.systems {
            guard let spec = environment.topology.businessSystem(id: system), spec.organization == organization.id else {
                throw RenkeiError(.invalidRequest, "\(system.excerpt(40)) is not a business system of \(organization.name) in the topology")
            }
        }
        var dates = [CivilDate]()
        for text in [summary.validFrom, summary.validUntil] where !text.isEmpty { dates.append(try CivilDate(text)) }
        if !summary.validFrom.isEmpty, !summary.validUntil.isEmpty, dates[0] > dates[1] {
            throw RenkeiError(.invalidRequest, "発効日 \(summary.validFrom) is after 失効日 \(summary.validUntil)")
        }
        var account = staff[summary.userID] ?? StaffAccount(userID: summary.userID, name: "", department: "", systems: [])
        let added = staff[summary.userID] == nil
        account.name = summary.name
        account.department = summary.department
        account.systems = summary.systems
        account.validFrom = summary.validFrom.isEmpty ? nil : summary.validFrom
        account.validUntil = summary.validUntil.isEmpty ? nil : summary.validUntil
        account.disabled = summary.disabled
        try await commit([
            .staff(tenant: organization.code, account: account),
            environment.audit(
                .administration, actor: actor,
                "staff \(account.userID) \(added ? "added" : "changed"): 部署 \(account.department), 事務 \(account.systems.joined(separator: ","))"),
        ])
        var response = StaffResponse()
        response.accounts = [Self.summary(account)]
        return response
    }

    func disableStaff(_ user: String, actor: String) async throws(RenkeiError) -> StaffResponse {
        var account = try existing(user)
        account.disabled = true
        endSessions(of: user)
        try await commit([
            .staff(tenant: organization.code, account: account), environment.audit(.administration, actor: actor, "staff \(user) disabled"),
        ])
        var response = StaffResponse()
        response.accounts = [Self.summary(account)]
        return response
    }

    /// A new password (hashed outside the actor); unlocks the account and ends its sessions.
    func setPassword(_ user: String, hash: String, actor: String) async throws(RenkeiError) -> StaffSummary {
        var account = try existing(user)
        account.passwordHash = hash
        account.failedSignIns = 0
        account.lockedUntilMicros = nil
        endSessions(of: user)
        try await commit([
            .staff(tenant: organization.code, account: account), environment.audit(.administration, actor: actor, "staff \(user) password set"),
        ])
        return Self.summary(account)
    }

    func addToken(_ user: String, digest: String, actor: String) async throws(RenkeiError) -> StaffSummary {
        var account = try existing(user)
        guard account.tokenDigests.count < 20 else {
            throw RenkeiError(.invalidRequest, "\(user) already has 20 API tokens; that is the limit")
        }
        account.tokenDigests.append(digest)
        try await commit([
            .staff(tenant: organization.code, account: account), environment.audit(.administration, actor: actor, "staff \(user) API token issued"),
        ])
        return Self.summary(account)
    }

    private func existing(_ user: String) throws(RenkeiError) -> StaffAccount {
        guard let account = staff[user] else {
            throw RenkeiError(.unknownOperator, "\(organization.name) has no member of staff with ユーザID \(user.excerpt(20))")
        }
        return account
    }

    private func endSessions(of user: String) {
        sessions = sessions.filter { $0.value.userID != user }
    }

    // MARK: sign-in

    /// The password hash to verify a sign-in against, once the account may sign in at all.
    /// Unknown accounts get nil, and are refused after the same work as a wrong password.
    func signInHash(_ user: String, actor: String) async throws(RenkeiError) -> String? {
        guard let account = staff[user] else { return nil }
        let now = environment.clock.nowMicros()
        if let until = account.lockedUntilMicros, until > now {
            try await commit([environment.audit(.signInFailed, actor: actor, "staff \(user) sign-in refused: locked")])
            throw RenkeiError(
                .accountLocked, "\(user) is locked after \(account.failedSignIns) failed sign-ins, until \(JSTTime.iso8601(until))")
        }
        do throws(RenkeiError) { try requireInForce(account) } catch {
            try await commit([environment.audit(.signInFailed, actor: actor, "staff \(user) sign-in refused: \(error.code)")])
            throw error
        }
        return account.passwordHash
    }

    /// Books a verified or failed sign-in: a session for one, a failure (and at the limit a
    /// lockout) for the other. Both are audited.
    func finishSignIn(_ user: String, verified: Bool, actor: String) async throws(RenkeiError) -> SignInResponse {
        let settings = environment.topology.staff
        let now = environment.clock.nowMicros()
        guard verified, var account = staff[user] else {
            var writes = [environment.audit(.signInFailed, actor: actor, "staff \(user.excerpt(20)) sign-in failed")]
            if var account = staff[user] {
                account.failedSignIns += 1
                if account.failedSignIns >= settings.lockoutAfterFailures {
                    account.lockedUntilMicros = now + settings.lockout.microseconds
                    writes.append(environment.audit(.signInFailed, actor: actor, "staff \(user) locked after \(account.failedSignIns) failures"))
                }
                writes.insert(.staff(tenant: organization.code, account: account), at: 0)
            }
            try await commit(writes)
            throw RenkeiError(.signInFailed, "the ユーザID or the password is wrong")
        }
        account.failedSignIns = 0
        account.lockedUntilMicros = nil
        let token = Self.newToken()
        let expires = now + settings.session.microseconds
        sessions[Self.digest(token)] = StaffSession(userID: user, expiresAt: expires)
        if sessions.count > 10_000 { sessions = sessions.filter { $0.value.expiresAt > now } }
        try await commit([.staff(tenant: organization.code, account: account), environment.audit(.signIn, actor: actor, "staff \(user) signed in")])
        var response = SignInResponse()
        response.token = token
        response.expiresAtMicros = expires
        response.account = Self.summary(account)
        return response
    }

    func signOut(token: String, actor: String) async throws(RenkeiError) -> SignInResponse {
        guard let session = sessions.removeValue(forKey: Self.digest(token)) else {
            throw RenkeiError(.tokenInvalid, "the Bearer token is not a live session of \(organization.name)")
        }
        try await commit([environment.audit(.signOut, actor: actor, "staff \(session.userID) signed out")])
        return SignInResponse()
    }

    // MARK: helpers

    static func summary(_ account: StaffAccount) -> StaffSummary {
        var summary = StaffSummary()
        summary.userID = account.userID
        summary.name = account.name
        summary.department = account.department
        summary.systems = account.systems
        summary.validFrom = account.validFrom ?? ""
        summary.validUntil = account.validUntil ?? ""
        summary.disabled = account.disabled
        summary.hasPassword = account.passwordHash != nil
        summary.tokens = account.tokenDigests.count
        summary.lockedUntilMicros = account.lockedUntilMicros ?? 0
        return summary
    }

    /// 32 random bytes, hex, with a prefix that says what it is.
    static func newToken() -> String {
        "rk_" + hex(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    static func digest(_ token: String) -> String { hex(Array(SHA256.hash(data: Data(token.utf8)))) }
}
