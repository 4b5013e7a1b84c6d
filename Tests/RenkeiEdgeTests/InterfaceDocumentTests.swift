import Foundation
import NIOHTTP1
import RenkeiEdge
import RenkeiTestSupport
import Testing

/// Issue 11: every example in docs/INTERFACES.md is sent to a running edge and answered as the
/// document shows, so a vendor can integrate from the document alone.
@Suite("docs/INTERFACES.md examples", .queuedTimeLimit)
struct InterfaceDocumentTests {
    /// The fenced block after each `<!-- example: NAME -->` marker.
    static func examples() throws -> [String: String] {
        let text = try String(contentsOf: Repository.file("docs/INTERFACES.md"), encoding: .utf8)
        var found = [String: String]()
        let pattern = try Regex(#"<!-- example: ([a-z]+ [a-z]+) -->\n```[a-z]*\n((?:.|\n)*?)\n```"#)
        for match in text.matches(of: pattern) {
            if let name = match.output[1].substring, let body = match.output[2].substring { found[String(name)] = String(body) }
        }
        return found
    }

    /// A documented answer with its `{…}` placeholders (a 受付番号, a time) as a pattern that
    /// the whole live answer must match once the whitespace between elements is dropped.
    static func pattern(_ documented: String) throws -> Regex<AnyRegexOutput> {
        let compact = documented.replacing(#/>\s+</#, with: "><").trimmingCharacters(in: .whitespacesAndNewlines)
        let literals = compact.split(separator: #/\{[^}]+\}/#, omittingEmptySubsequences: false)
        return try Regex(literals.map { NSRegularExpression.escapedPattern(for: String($0)) }.joined(separator: "[^<>\",]+"))
    }

    func expectAnswer(_ live: String, _ documented: String?, _ name: String) throws {
        let pattern = try Self.pattern(try #require(documented, "docs/INTERFACES.md has an answer for \(name)"))
        let compact = live.replacing(#/>\s+</#, with: "><").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(compact.wholeMatch(of: pattern) != nil, "\(name): the live answer differs from the document:\n\(compact)")
    }

    /// A documented JSON answer: every documented value is the live one, a `{…}` placeholder any string.
    func expectJSON(_ live: Any?, _ documented: Any?, _ path: String) {
        switch documented {
        case let object as [String: Any]:
            let liveObject = live as? [String: Any] ?? [:]
            #expect(Set(liveObject.keys) == Set(object.keys), "\(path): the fields differ from the document")
            for (key, value) in object { expectJSON(liveObject[key], value, "\(path).\(key)") }
        case let array as [Any]:
            let liveArray = live as? [Any] ?? []
            #expect(liveArray.count == array.count, "\(path): \(liveArray.count) elements, the document shows \(array.count)")
            for (index, value) in zip(array.indices, array) where index < liveArray.count { expectJSON(liveArray[index], value, "\(path)[\(index)]") }
        case let text as String where text.hasPrefix("{") && text.hasSuffix("}"):
            #expect((live as? String)?.isEmpty == false, "\(path): a string is documented")
        default:
            #expect("\(live ?? "nil")" == "\(documented ?? "nil")", "\(path)")
        }
    }

    @Test("the XML, batch and REST examples are answered as documented, every 電文 valid against its XSD")
    func examplesAnswerAsDocumented() async throws {
        let examples = try Self.examples()
        #expect(examples.count == 12, "\(examples.keys.sorted())")
        let schemas = try Dictionary(
            uniqueKeysWithValues: [
                "IF_DBM_20113_R01", "IF_DBM_20113_A01", "IF_SKI_10101_R01", "IF_SKI_10101_A01", "IF_SKI_10102_R01", "IF_SKI_10102_A01",
            ]
            .map { ($0, try XMLSchemaValidator($0)) })
        /// The documented 電文 and the live answer, each against the schema of its type.
        func valid(_ text: String, _ type: String, _ what: String) throws {
            do { try #require(schemas[type]).validate(text, what) } catch { Issue.record("\(what) is not valid against \(type).xsd:\n\(error)") }
        }
        for (name, type) in [
            ("registration request", "IF_DBM_20113_R01"), ("registration answer", "IF_DBM_20113_A01"), ("inquiry request", "IF_SKI_10101_R01"),
            ("inquiry answer", "IF_SKI_10101_A01"), ("result request", "IF_SKI_10102_R01"), ("result answer", "IF_SKI_10102_A01"),
            ("error request", "IF_SKI_10101_R01"), ("error answer", "IF_SKI_10101_A01"),
        ] {
            try valid(try #require(examples[name]), type, "the \(name) of docs/INTERFACES.md")
        }
        let registration = try #require(examples["registration request"])
        let data = try #require(registration.firstMatch(of: #/<!\[CDATA\[(.*?)\]\]>/#)?.output.1)
        try XMLSchemaValidator("TM00000000000002").validate(String(data), "the 副本データ of the registration example")

        try await withEdge { edge in
            func xml(_ name: String, as system: String, to node: String, replacing: [String: String] = [:]) async throws -> HTTPSClient.Response {
                var text = try #require(examples["\(name) request"])
                for (key, value) in replacing { text = text.replacingOccurrences(of: key, with: value) }
                return try await edge.call(system, node, .POST, "/v1/xml", text: text, contentType: "application/xml")
            }
            let registered = try await xml("registration", as: "sapporo/zei", to: "atena-sapporo")
            #expect(registered.status == 200, "\(registered.text)")
            try expectAnswer(registered.text, examples["registration answer"], "registration")
            try valid(registered.text, "IF_DBM_20113_A01", "the live registration answer")

            let inquired = try await xml("inquiry", as: "tomakomai/kokuho", to: "atena-tomakomai")
            #expect(inquired.status == 200, "\(inquired.text)")
            try expectAnswer(inquired.text, examples["inquiry answer"], "inquiry")
            try valid(inquired.text, "IF_SKI_10101_A01", "the live inquiry answer")
            let reception = try #require(inquired.element("ReceptionNumber"))

            let fetched = try await xml(
                "result", as: "tomakomai/kokuho", to: "atena-tomakomai", replacing: ["{受付番号 of the inquiry above}": reception])
            #expect(fetched.status == 200, "\(fetched.text)")
            try expectAnswer(fetched.text, examples["result answer"], "result")
            try valid(fetched.text, "IF_SKI_10102_A01", "the live result answer")
            #expect(fetched.element("ReceptionNumber") == reception)

            let refused = try await xml("error", as: "tomakomai/kokuho", to: "atena-tomakomai")
            #expect(refused.status == 403, "\(refused.text)")
            try expectAnswer(refused.text, examples["error answer"], "error")
            try valid(refused.text, "IF_SKI_10101_A01", "the live error answer")

            let batch = try #require(examples["batch request"]) + "\r\n"
            let result = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/batch", text: batch, contentType: "text/plain")
            #expect(result.status == 200, "\(result.text)")
            try expectAnswer(result.text, examples["batch answer"], "batch")

            let json = try #require(examples["rest request"])
            let rest = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: try JSONSerialization.jsonObject(with: Data(json.utf8)))
            #expect(rest.status == 200, "\(rest.text)")
            let documented = try JSONSerialization.jsonObject(with: Data(try #require(examples["rest answer"]).utf8))
            expectJSON(try JSONSerialization.jsonObject(with: Data(rest.text.utf8)), documented, "answer")
        }
    }

    @Test("an element a 電文 does not define is refused with the nearest known name, and the refusal is valid against the XSD")
    func unknownElementIsRefused() async throws {
        let examples = try Self.examples()
        let typo = try #require(examples["inquiry request"]).replacingOccurrences(of: "FiscalYear>", with: "FiscalYer>")
        try await withEdge { edge in
            let answer = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/xml", text: typo, contentType: "application/xml")
            #expect(answer.status == 400, "\(answer.text)")
            #expect(answer.element("MSGResult") == "MALFORMED_MESSAGE")
            #expect(answer.element("MSGID") == "M0002", "the refusal echoes the MSGID")
            #expect(
                answer.element("ResultMessage")?.contains("InquiryRequest has an unknown element FiscalYer (did you mean FiscalYear?)") == true,
                "\(answer.text)")
            try XMLSchemaValidator("IF_SKI_10101_A01").validate(answer.text, "the refusal")
            #expect(throws: XMLSchemaValidator.Problems.self, "the XSD refuses the typo too") {
                try XMLSchemaValidator("IF_SKI_10101_R01").validate(typo, "the request with a typo")
            }
        }
    }
}
