public import Foundation

/// 情報提供許可証 as it travels: the claims as the exact bytes that were protected, and an
/// ECDSA P-256 signature by the network system or (permit_protection: mac) an HMAC-SHA256 tag.
public struct SealedPermit: Sendable, Hashable {
    public var claims = Data()
    public var signature = Data()
    public var mac = Data()

    public init() {}
}

/// What a permit says: the one exchange it allows, and until when.
public struct PermitClaims: Sendable, Hashable {
    public var permitID = Data()
    public var receptionNumber = ""
    public var inquirer = ""
    public var provider = ""
    public var providerLinkCode = ""
    public var item = ""
    public var procedureCode = ""
    public var informationCode = ""
    public var issuedAtMicros: Int64 = 0
    public var expiresAtMicros: Int64 = 0

    public init() {}
}
