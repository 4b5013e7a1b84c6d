import PostgresNIO
import RenkeiCore

/// What went wrong with PostgreSQL, for a person: the server's own message where it sent one
/// (PSQLError's description hides it, to keep queries out of logs by accident).
enum PostgresFailure {
    /// The error that matters: a transaction's wrapper gives way to what failed inside it.
    static func cause(_ error: any Error) -> any Error {
        guard let transaction = error as? PostgresTransactionError else { return error }
        return transaction.closureError ?? transaction.beginError ?? transaction.commitError ?? error
    }

    /// Whether the server gave up the transaction for a deadlock or a serialisation conflict,
    /// which another try resolves.
    static func isTransient(_ error: any Error) -> Bool {
        guard let error = cause(error) as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }

    static func describe(_ error: any Error) -> String {
        let error = cause(error)
        if let error = error as? RenkeiError { return error.message }
        if let timeout = error as? PostgresTimeout { return "no answer within \(timeout.seconds) s" }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            let code = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return message + code
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}

/// A transaction or read that the server did not finish in time (PostgresStore.Options.timeout).
struct PostgresTimeout: Error {
    let seconds: Int64
}
