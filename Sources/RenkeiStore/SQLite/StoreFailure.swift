import GRDB
import RenkeiCore

/// How a store failure is told to a caller: SQLite's result code and sentence, never the SQL
/// statement GRDB's description carries (it names tables, columns and sometimes values).
enum StoreFailure {
    static func describe(_ error: any Error) -> String {
        if let error = error as? RenkeiError { return error.message }
        if let error = error as? DatabaseError {
            return "SQLite error \(error.resultCode.rawValue) (\(error.message ?? "no detail"))"
        }
        return String(describing: type(of: error))
    }
}
