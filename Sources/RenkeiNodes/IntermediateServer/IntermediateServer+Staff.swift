import Crypto
import HummingbirdBcrypt
import RenkeiCore
import RenkeiWire

/// Staff administration and sign-in at the 中間サーバー. bcrypt is deliberately slow (cost 12 is
/// about a quarter of a second), so it runs here, outside the tenant actor, which would
/// otherwise stall every inquiry of the 機関 behind one sign-in.
extension IntermediateServer {
    /// Passwords are 12 to 72 bytes: bcrypt reads no further than 72.
    static let passwordBytes = 12...72

    nonisolated func staff(_ request: StaffRequest, _ context: RequestContext) async throws(RenkeiError) -> StaffResponse {
        try environment.policy.require(context.peer, .manageStaff)
        let tenant = try tenant(request.tenant)
        let actor = context.peer.name
        switch request.action {
        case .list: return await tenant.staffList()
        case .put: return try await tenant.putStaff(request.account, actor: actor)
        case .disable: return try await tenant.disableStaff(request.userID, actor: actor)
        case .resetPassword:
            let generated = request.password.isEmpty
            let password = generated ? Self.generatedPassword() : request.password
            guard Self.passwordBytes.contains(password.utf8.count) else {
                throw RenkeiError(.invalidRequest, "a password is 12 to 72 bytes long; this one is \(password.utf8.count)")
            }
            let hash = Bcrypt.hash(password, cost: UInt8(environment.topology.staff.passwordCost))
            var response = StaffResponse()
            response.accounts = [try await tenant.setPassword(request.userID, hash: hash, actor: actor)]
            response.secret = generated ? password : ""
            return response
        case .issueToken:
            let token = Tenant.newToken()
            var response = StaffResponse()
            response.accounts = [try await tenant.addToken(request.userID, digest: Tenant.digest(token), actor: actor)]
            response.secret = token
            return response
        }
    }

    nonisolated func signIn(_ request: SignInRequest, _ context: RequestContext) async throws(RenkeiError) -> SignInResponse {
        let tenant = try tenant(request.tenant)
        _ = try environment.policy.businessSystem(context.peer, for: tenant.organization, named: request.businessSystem, "sign staff in")
        let actor = context.peer.name
        if !request.signOutToken.isEmpty { return try await tenant.signOut(token: request.signOutToken, actor: actor) }
        guard !request.userID.isEmpty, request.password.utf8.count <= Self.passwordBytes.upperBound else {
            throw RenkeiError(.invalidRequest, "a sign-in names a ユーザID and a password of at most 72 bytes")
        }
        let hash = try await tenant.signInHash(request.userID, actor: actor)
        // An unknown user or one without a password costs the same verification as a wrong
        // password, so timing does not tell which accounts exist.
        let decoy = hash == nil ? await decoyHash() : ""
        let verified = Bcrypt.verify(request.password, hash: hash ?? decoy) && hash != nil
        return try await tenant.finishSignIn(request.userID, verified: verified, actor: actor)
    }

    /// 24 characters from a 56-letter alphabet without look-alikes (about 139 bits), from the system CSPRNG.
    static func generatedPassword() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        return String((0..<24).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }

}
