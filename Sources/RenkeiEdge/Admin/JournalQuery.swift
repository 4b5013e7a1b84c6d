import Hummingbird
import HummingbirdCore
import RenkeiCore
import RenkeiNodes

/// The filters of GET /admin/journal, read strictly: an unknown parameter or value is refused
/// with the known ones.
enum JournalQuery {
    static let parameters = ["interface", "system", "identity", "outcome", "failures", "since", "until", "after", "limit", "format"]

    static func filter(_ query: FlatDictionary<Substring, Substring>, now: Int64) throws(RenkeiError) -> DecisionJournal.Filter {
        for (key, _) in query where !parameters.contains(String(key)) {
            let near = StrictDecoding.nearest(to: String(key), in: parameters).map { " (did you mean \($0)?)" } ?? ""
            throw RenkeiError(
                .invalidRequest, "unknown parameter \(String(key).excerpt(32))\(near); the known ones are \(parameters.joined(separator: ", "))")
        }
        var filter = DecisionJournal.Filter()
        if let text = query["interface"] {
            guard let interface = DecisionJournal.Interface(rawValue: String(text)) else {
                throw RenkeiError(
                    .invalidRequest, "interface is one of \(DecisionJournal.Interface.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.interface = interface
        }
        filter.identity = (query["system"] ?? query["identity"]).map(String.init)
        if let text = query["outcome"] {
            guard let outcome = DecisionJournal.Outcome(rawValue: String(text)) else {
                throw RenkeiError(.invalidRequest, "outcome is one of \(DecisionJournal.Outcome.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.outcome = outcome
        }
        filter.failuresOnly = query["failures"] == "true"
        filter.since = try query["since"].map { text throws(RenkeiError) in try time(String(text), now: now, name: "since") }
        filter.until = try query["until"].map { text throws(RenkeiError) in try time(String(text), now: now, name: "until") }
        if let text = query["after"] {
            guard let after = UInt64(text.hasPrefix("T") ? text.dropFirst() : text[...]) else {
                throw RenkeiError(.invalidRequest, "after is an entry id such as T120")
            }
            filter.after = after
        }
        let limit = Int(query["limit"].map(String.init) ?? "100") ?? -1
        guard (1...10_000).contains(limit) else { throw RenkeiError(.invalidRequest, "limit must be 1 to 10000") }
        filter.limit = limit
        if let format = query["format"], format != "json", format != "jsonl" { throw RenkeiError(.invalidRequest, "format is json or jsonl") }
        return filter
    }

    /// An ISO 8601 time (JST unless it says otherwise) or a span back from now: 90s, 15m, 2h, 1d.
    static func time(_ text: String, now: Int64, name: String) throws(RenkeiError) -> Int64 {
        if let micros = JSTTime.parse(text) { return micros }
        if !text.hasPrefix("-"), let seconds = try? DurationText.seconds(text) { return now - seconds * 1_000_000 }
        throw RenkeiError(
            .invalidRequest, "\(name) is a time such as 2026-12-02T13:00 (JST) or a span back from now such as 15m; got \(text.excerpt(32))")
    }
}

/// GET /admin/journal's JSON answer.
struct JournalBody: Encodable {
    let entries: [DecisionJournal.Entry]
}
