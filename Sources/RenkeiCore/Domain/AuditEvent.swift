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
        /// A member of staff (or the operator) read a person's 副本.
        case duplicateRead = "duplicate.read"
        case linkCodeIssued = "linkcode.issued"
        case administration = "admin"
        /// A member of staff signed in, failed to, was locked out, or signed out.
        case signIn = "staff.signin"
        case signInFailed = "staff.signin.failed"
        case signOut = "staff.signout"
        /// A row of an append-only table, by its digest: a 情報提供等記録, a used permit, a
        /// staff account as written. The row points back to this entry (its `audit_seq`).
        case recordWritten = "row.record"
        case permitUsed = "row.permit"
        case staffWritten = "row.staff"
        /// Rows removed the one way the law allows: a retention purge, expired permits, a
        /// reset to a scenario. Says which, so `audit verify` knows the rows are meant to be gone.
        case rowsRemoved = "rows.removed"
        /// The time-stamping authority stamped a node's checkpoint.
        case stamped = "tsa.stamped"
        /// The operator started a node whose log does not extend its last witnessed checkpoint.
        case auditGapAccepted = "audit.gap-accepted"
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
