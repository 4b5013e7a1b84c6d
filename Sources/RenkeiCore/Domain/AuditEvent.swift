/// A security-relevant event a node records: connection accepted or refused, inquiry,
/// permit issued or refused, provision, denial, 副本 change, administration.
public struct AuditEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case connectionAccepted = "connection.accepted"
        case connectionRefused = "connection.refused"
        case frameRejected = "frame.rejected"
        case inquiry
        /// Kept to read older logs: an exchange's `inquiry` and `provision` entries now say
        /// that its permit was issued and verified.
        case permitIssued = "permit.issued"
        case permitVerified = "permit.verified"
        case permitRefused = "permit.refused"
        case provision
        case denial
        case duplicateChanged = "duplicate.changed"
        case linkCodeIssued = "linkcode.issued"
        case administration = "admin"
        /// A member of staff signed in, failed to, was locked out, or signed out.
        case signIn = "staff.signin"
        case signInFailed = "staff.signin.failed"
        case signOut = "staff.signout"
    }

    public let kind: Kind
    /// Microseconds since 1970 on the simulation clock.
    public let at: Int64
    /// The certificate name of the peer that caused it, if any.
    public let actor: String?
    /// A short, stable description: the reception number, the code refused, the count changed.
    public let detail: String

    public init(kind: Kind, at: Int64, actor: String?, detail: String) {
        self.kind = kind
        self.at = at
        self.actor = actor
        self.detail = detail
    }
}
