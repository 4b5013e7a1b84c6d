/// What a certificate holder is in the linkage. Carried in the certificate subject's OU, so
/// a peer's role is read from its certificate, never from a message.
public enum NodeRole: String, Sendable, Hashable, CaseIterable {
    /// 情報提供ネットワークシステム
    case networkSystem = "network-system"
    /// 中間サーバー (a platform hosting tenants)
    case intermediateServer = "intermediate-server"
    /// 団体内統合宛名システム
    case addressSystem = "address-system"
    /// 住基ネット / J-LIS
    case residentRegistry = "resident-registry"
    /// The time-stamping authority (RFC 3161): the witness outside every node that stamps its
    /// audit checkpoints and remembers the newest one.
    case timeStampAuthority = "time-stamp-authority"
    /// A municipal or insurer business system (国保, 税 …)
    case businessSystem = "business-system"
    /// The platform operator (J-LIS style): runs the nodes, sees metadata (status, journal,
    /// faults, verification), never 副本 contents or 個人番号, and manages no 機関's data.
    case admin
    /// A 機関's administrator (its 機関コード in the certificate): that 機関's flags, manual
    /// queue and staff, nothing else.
    case tenantAdmin = "tenant-admin"
    /// A trainer: resets scenarios, reads the journal and the status, injects faults.
    case trainer
}

/// A host and port, written `host:port`.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init(_ text: String) throws(RenkeiError) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port),
            colon != text.startIndex
        else {
            throw RenkeiError(.invalidConfiguration, "\"\(text.excerpt(64))\" is not host:port (for example 127.0.0.1:17400)")
        }
        self.host = String(text[..<colon])
        self.port = port
    }

    public var description: String { "\(host):\(port)" }
}
