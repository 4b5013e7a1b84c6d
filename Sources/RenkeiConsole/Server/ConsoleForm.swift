import Foundation
import Hummingbird
import RenkeiCore

/// A submitted form (application/x-www-form-urlencoded), read only after its CSRF token
/// matched the session's.
struct ConsoleForm: Sendable {
    static let maximumBytes = 64 * 1024
    static let maximumFields = 64

    let fields: [String: String]

    subscript(_ name: String) -> String { fields[name] ?? "" }

    /// The trimmed value of a field, refused when it is longer than `limit` characters.
    func text(_ name: String, label: String, limit: Int = 200) throws(RenkeiError) -> String {
        let value = self[name].trimmingCharacters(in: .whitespacesAndNewlines)
        guard value.count <= limit else { throw RenkeiError(.invalidRequest, "\(label) is at most \(limit) characters") }
        return value
    }

    /// Reads the body; refuses a form whose `csrf` field is not `expected`.
    static func read(_ request: Request, context: ConsoleRequestContext, csrf expected: String?) async throws -> ConsoleForm {
        let buffer = try await request.body.collect(upTo: maximumBytes)
        let form = try parse(String(buffer: buffer))
        guard let expected, !expected.isEmpty, form["csrf"].utf8.count == expected.utf8.count, constantTimeEqual(form["csrf"], expected) else {
            throw RenkeiError(.csrfRejected, "the form's CSRF token is missing or not this session's: open the page again and resend the form")
        }
        return form
    }

    static func parse(_ body: String) throws(RenkeiError) -> ConsoleForm {
        var fields = [String: String]()
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            guard fields.count < maximumFields else { throw RenkeiError(.invalidRequest, "a form has at most \(maximumFields) fields") }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode: (Substring) -> String? = { $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decode(parts[0]), let value = parts.count > 1 ? decode(parts[1]) : "" else {
                throw RenkeiError(.invalidRequest, "the form is not valid application/x-www-form-urlencoded")
            }
            fields[name] = value
        }
        return ConsoleForm(fields: fields)
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        zip(a.utf8, b.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
