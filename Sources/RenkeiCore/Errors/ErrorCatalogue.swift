/// Every error code renkei gives, with what it means, the HTTP status the edges answer with, the
/// exit status the CLI ends with, and what the caller can do. `docs/ERRORS.md`, the edge's
/// `GET /v1/errors` and the CLI's exit statuses are all made from this one table; a test fails
/// when a code is declared without an entry here.
public struct ErrorCatalogue: Sendable {
    /// What kind of failure a code is: it picks the CLI's exit status and its prefix.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The linkage refused the request under its rules (別表第二, 事務 permissions, 符号,
        /// 情報提供許可証): `DENIED:` and exit 3.
        case refusal
        /// The request itself is wrong (a field, an identifier, something unknown): exit 1.
        case request
        /// The command line is wrong: exit 64.
        case usage
        /// The request could not be carried out (a timeout, a node down, a damaged store,
        /// a configuration or certificate problem): exit 1.
        case failure

        public var exitStatus: Int32 {
            switch self {
            case .refusal: 3
            case .usage: 64
            case .request, .failure: 1
            }
        }
    }

    public struct Entry: Sendable, Hashable {
        public let code: ErrorCode
        public let kind: Kind
        public let httpStatus: Int
        public let meaning: String
        public let remedy: String
    }

    public let entries: [Entry]
    private let index: [ErrorCode: Entry]

    init(_ entries: [Entry]) {
        self.entries = entries
        index = Dictionary(entries.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The entry of a code; a code from a newer peer that this build does not know has none.
    public func entry(_ code: ErrorCode) -> Entry? { index[code] }

    /// A code this build does not know is treated as a failure with HTTP 500 (fail closed: it is
    /// never taken for success, nor for a refusal the caller could act on).
    public func kind(_ code: ErrorCode) -> Kind { index[code]?.kind ?? .failure }
    public func httpStatus(_ code: ErrorCode) -> Int { index[code]?.httpStatus ?? 500 }
}

extension ErrorCode {
    public var kind: ErrorCatalogue.Kind { ErrorCatalogue.renkei.kind(self) }
    /// Whether the linkage refused the request (exit 3, `DENIED:`), as against a request that was
    /// wrong or could not be carried out.
    public var isRefusal: Bool { kind == .refusal }
}
