/// A stable, machine-readable reason for a refusal or failure.
///
/// Codes travel on the wire as strings, so a code this build does not know (from a newer
/// peer) is kept as it is instead of being mapped to something else.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

extension ErrorCode {
    // MARK: transport
    public static let deadlineExceeded = ErrorCode(rawValue: "DEADLINE_EXCEEDED")
    public static let unavailable = ErrorCode(rawValue: "UNAVAILABLE")
    public static let frameTooLarge = ErrorCode(rawValue: "FRAME_TOO_LARGE")
    /// An answer that would not fit the wire's frame limit: that request fails, the connection it
    /// shares with others stays open.
    public static let answerTooLarge = ErrorCode(rawValue: "ANSWER_TOO_LARGE")
    /// A node refused a request because too many from the same connection or peer are in flight.
    public static let overloaded = ErrorCode(rawValue: "OVERLOADED")
    public static let malformedMessage = ErrorCode(rawValue: "MALFORMED_MESSAGE")
    public static let unknownMethod = ErrorCode(rawValue: "UNKNOWN_METHOD")
    public static let unauthenticated = ErrorCode(rawValue: "UNAUTHENTICATED")
    public static let peerNotAuthorized = ErrorCode(rawValue: "PEER_NOT_AUTHORIZED")
    public static let internalError = ErrorCode(rawValue: "INTERNAL")

    // MARK: request content
    public static let invalidIdentifier = ErrorCode(rawValue: "INVALID_IDENTIFIER")
    public static let invalidRequest = ErrorCode(rawValue: "INVALID_REQUEST")
    public static let unknownOrganization = ErrorCode(rawValue: "UNKNOWN_ORGANIZATION")
    public static let unknownPerson = ErrorCode(rawValue: "UNKNOWN_PERSON")
    public static let unknownInformationCode = ErrorCode(rawValue: "UNKNOWN_INFORMATION_CODE")
    public static let unknownProcessingNumber = ErrorCode(rawValue: "UNKNOWN_PROCESSING_NUMBER")

    // MARK: linkage rules (別表第二) and permissions
    public static let ruleNotPermitted = ErrorCode(rawValue: "RULE_NOT_PERMITTED")
    public static let itemDeleted = ErrorCode(rawValue: "ITEM_DELETED")
    public static let unknownItem = ErrorCode(rawValue: "UNKNOWN_ITEM")
    public static let itemNotInForce = ErrorCode(rawValue: "ITEM_NOT_IN_FORCE")

    // MARK: staff (operators) and sign-in
    public static let operatorRequired = ErrorCode(rawValue: "OPERATOR_REQUIRED")
    public static let unknownOperator = ErrorCode(rawValue: "UNKNOWN_OPERATOR")
    public static let operatorNotInForce = ErrorCode(rawValue: "OPERATOR_NOT_IN_FORCE")
    public static let operatorNotAuthorized = ErrorCode(rawValue: "OPERATOR_NOT_AUTHORIZED")
    public static let signInFailed = ErrorCode(rawValue: "SIGN_IN_FAILED")
    public static let accountLocked = ErrorCode(rawValue: "ACCOUNT_LOCKED")
    public static let tokenInvalid = ErrorCode(rawValue: "TOKEN_INVALID")
    /// The console: a form without this session's CSRF token, a session that ended.
    public static let csrfRejected = ErrorCode(rawValue: "CSRF_REJECTED")
    public static let sessionExpired = ErrorCode(rawValue: "SESSION_EXPIRED")
    public static let procedureMismatch = ErrorCode(rawValue: "PROCEDURE_MISMATCH")
    public static let systemNotAuthorized = ErrorCode(rawValue: "SYSTEM_NOT_AUTHORIZED")

    /// 符号未取得: the inquirer holds no 符号 for the person.
    public static let linkCodeNotAcquired = ErrorCode(rawValue: "LINK_CODE_NOT_ACQUIRED")

    // MARK: 情報提供許可証 (permits)
    public static let permitExpired = ErrorCode(rawValue: "PERMIT_EXPIRED")
    public static let permitReused = ErrorCode(rawValue: "PERMIT_REUSED")
    public static let permitInvalid = ErrorCode(rawValue: "PERMIT_INVALID")
    public static let permitMismatch = ErrorCode(rawValue: "PERMIT_MISMATCH")
}

extension ErrorCode {
    /// A configuration file is missing, does not parse, or contradicts itself.
    public static let invalidConfiguration = ErrorCode(rawValue: "INVALID_CONFIGURATION")
}

extension ErrorCode {
    /// A queued manual response was not handled within its time.
    public static let manualResponseTimeout = ErrorCode(rawValue: "MANUAL_RESPONSE_TIMEOUT")
    /// The peer's certificate has expired (also injected as a fault).
    public static let certificateExpired = ErrorCode(rawValue: "CERTIFICATE_EXPIRED")
    /// The peer's certificate is on the development CA's revocation list.
    public static let certificateRevoked = ErrorCode(rawValue: "CERTIFICATE_REVOKED")
    /// No inquiry with this 受付番号 is known here.
    public static let unknownReceptionNumber = ErrorCode(rawValue: "UNKNOWN_RECEPTION_NUMBER")
    /// A batch row repeats the key of an earlier row (レコード識別番号が既に存在).
    public static let duplicateRecord = ErrorCode(rawValue: "DUPLICATE_RECORD")
    /// An HTTP body over the edge's limit.
    public static let bodyTooLarge = ErrorCode(rawValue: "BODY_TOO_LARGE")
    /// A fault the tester injected (the message says which).
    public static let injectedFault = ErrorCode(rawValue: "INJECTED_FAULT")
    /// A node's stored file is damaged (SQLite's integrity check, a checkpoint or an audit
    /// entry that does not read): the sentence names the file and how to repair it.
    public static let storeDamaged = ErrorCode(rawValue: "STORE_DAMAGED")
    /// A purpose key (checkpoint, permit, 符号 secret, time-stamping) that was made once is
    /// missing or unreadable: it is never silently replaced by a new one.
    public static let keyMissing = ErrorCode(rawValue: "KEY_MISSING")
    /// A node's disk is full: it runs on its reserve, records what it has seen, and takes no
    /// new exchanges until space is freed.
    public static let storeFull = ErrorCode(rawValue: "STORE_FULL")
    /// A node's audit log does not extend the checkpoint its witness (the time-stamping
    /// authority) last stamped: cut back, rewritten, or replaced.
    public static let auditGap = ErrorCode(rawValue: "AUDIT_GAP")
    /// A time-stamp request or token is not what the time-stamping authority accepts or issued.
    public static let timeStampInvalid = ErrorCode(rawValue: "TIME_STAMP_INVALID")
    /// The request names nothing the server knows (an unknown route or resource).
    public static let notFound = ErrorCode(rawValue: "NOT_FOUND")
    /// A TLS handshake failed, or a certificate or key cannot be used.
    public static let certificateProblem = ErrorCode(rawValue: "CERTIFICATE_PROBLEM")
    /// The command line is wrong.
    public static let usage = ErrorCode(rawValue: "USAGE")
}
