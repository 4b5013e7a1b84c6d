public import Foundation

/// Where a PostgreSQL store lives: a `postgres://user[:password]@host[:port]/database` URL and
/// the schema that holds the node's tables (two replicas of a node name the same one).
///
/// The password may stay out of the topology file: without one in the URL, `PGPASSWORD` is
/// read, as libpq does. The connection is plain TCP (`sslmode` other than `disable` is refused,
/// not silently ignored): put the server on the same host or a trusted segment.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: Int
    public let user: String
    public let password: String?
    public let database: String
    public let schema: String

    /// What to name in messages: the server and database, never the password.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database) (schema \(schema))" }

    public init(
        host: String, port: Int = 5432, user: String, password: String? = nil, database: String, schema: String = "renkei"
    )
        throws(RenkeiError)
    {
        guard Self.isIdentifier(schema) else {
            throw RenkeiError(
                .invalidConfiguration,
                "the PostgreSQL schema \"\(schema.excerpt(80))\" is not a plain name: write lower-case letters, digits and _ (at most 63, not starting with a digit)"
            )
        }
        guard !host.isEmpty, (1...65535).contains(port), !user.isEmpty, !database.isEmpty else {
            throw RenkeiError(.invalidConfiguration, "a PostgreSQL location needs a host, a port in 1–65535, a user and a database")
        }
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.schema = schema
    }

    /// Reads `postgres://user[:password]@host[:port]/database[?schema=NAME&sslmode=disable]`.
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(RenkeiError) {
        let shape = "write postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, e.g. postgres://renkei@127.0.0.1:5432/renkei"
        guard text.utf8.count <= 2_048, let components = URLComponents(string: text),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else {
            throw RenkeiError(.invalidConfiguration, "the PostgreSQL URL \"\(Self.redacted(text).excerpt(120))\" does not read; \(shape)")
        }
        guard let host = components.host, !host.isEmpty, let user = components.user, !user.isEmpty else {
            throw RenkeiError(.invalidConfiguration, "the PostgreSQL URL \"\(Self.redacted(text).excerpt(120))\" names no host or user; \(shape)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        var schema = "renkei"
        for item in components.queryItems ?? [] {
            switch item.name {
            case "schema": schema = item.value ?? ""
            case "sslmode":
                guard item.value == "disable" else {
                    throw RenkeiError(
                        .invalidConfiguration,
                        "sslmode=\(item.value ?? "") is not supported: renkei talks to PostgreSQL over plain TCP (sslmode=disable); keep the server on the same host or a trusted segment"
                    )
                }
            default:
                throw RenkeiError(
                    .invalidConfiguration, "the PostgreSQL URL has an unknown parameter \"\(item.name.excerpt(40))\"; it knows schema and sslmode")
            }
        }
        try self.init(
            host: host, port: components.port ?? 5432, user: user, password: components.password ?? environment["PGPASSWORD"],
            database: database.isEmpty ? user : database, schema: schema)
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= 63, !("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The URL with any password replaced, for messages.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "…"
        return components.string ?? text
    }
}
