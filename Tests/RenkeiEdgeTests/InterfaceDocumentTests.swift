import Foundation
import NIOHTTP1
import RenkeiEdge
import RenkeiTestSupport
import Testing

/// Issue 11: every example in docs/INTERFACES.md is sent to a running edge and answered as the
/// document shows, so a vendor can integrate from the document alone.
@Suite("docs/INTERFACES.md examples", .timeLimit(.minutes(3)))
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

    /// Each line of a documented answer appears in the live answer.
    func expectAnswer(_ live: String, _ documented: String?, _ name: String) {
        let lines = (documented ?? "").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(!lines.isEmpty, "docs/INTERFACES.md has an answer for \(name)")
        for line in lines { #expect(live.contains(line), "\(name): the answer has \(line): \(live)") }
    }

    @Test("the XML, batch and REST examples are answered as documented")
    func examplesAnswerAsDocumented() async throws {
        let examples = try Self.examples()
        #expect(examples.count == 12, "\(examples.keys.sorted())")
        try await withEdge { edge in
            func xml(_ name: String, as system: String, to node: String, replacing: [String: String] = [:]) async throws -> HTTPSClient.Response {
                var text = try #require(examples["\(name) request"])
                for (key, value) in replacing { text = text.replacingOccurrences(of: key, with: value) }
                return try await edge.call(system, node, .POST, "/v1/xml", text: text, contentType: "application/xml")
            }
            let registered = try await xml("registration", as: "sapporo/zei", to: "atena-sapporo")
            #expect(registered.status == 200, "\(registered.text)")
            expectAnswer(registered.text, examples["registration answer"], "registration")

            let inquired = try await xml("inquiry", as: "tomakomai/kokuho", to: "atena-tomakomai")
            #expect(inquired.status == 200, "\(inquired.text)")
            expectAnswer(inquired.text, examples["inquiry answer"], "inquiry")
            #expect(inquired.text.contains(#"<K0003 ReasonOfNull="NotAcceptable" xsi:nil="true"/>"#), "the registered record is answered")
            let reception = try #require(inquired.element("ReceptionNumber"))

            let fetched = try await xml(
                "result", as: "tomakomai/kokuho", to: "atena-tomakomai", replacing: ["{受付番号 of the inquiry above}": reception])
            #expect(fetched.status == 200, "\(fetched.text)")
            expectAnswer(fetched.text, examples["result answer"], "result")

            let refused = try await xml("error", as: "tomakomai/kokuho", to: "atena-tomakomai")
            #expect(refused.status == 403, "\(refused.text)")
            expectAnswer(refused.text, examples["error answer"], "error")
            #expect(refused.element("ResultMessage")?.contains("別表第二 第42項") == true, "\(refused.text)")

            let batch = try #require(examples["batch request"]) + "\r\n"
            let result = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/batch", text: batch, contentType: "text/plain")
            #expect(result.status == 200, "\(result.text)")
            expectAnswer(result.text, examples["batch answer"], "batch")

            let json = try #require(examples["rest request"])
            let rest = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: try JSONSerialization.jsonObject(with: Data(json.utf8)))
            #expect(rest.status == 200, "\(rest.text)")
            let answerText = try #require(examples["rest answer"])
            let documented = try #require(try JSONSerialization.jsonObject(with: Data(answerText.utf8)) as? [String: String])
            for (key, value) in documented { #expect(rest.json[key] as? String == value, "\(key): \(rest.text)") }
        }
    }
}
