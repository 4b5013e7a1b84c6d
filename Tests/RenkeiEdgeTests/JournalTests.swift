import Foundation
import Logging
import NIOCore
import RenkeiCore
import RenkeiNodes
import RenkeiPKI
import RenkeiTestSupport
import Testing

/// Issue 11: the journal sees what a vendor debugs — requests that did not parse, rejected
/// batch files and their rows, refused handshakes — each with its outcome and an excerpt.
@Suite("The request journal sees everything", .queuedTimeLimit)
struct JournalTests {
    func entries(_ edge: EdgeHarness, _ query: String) async throws -> [[String: Any]] {
        let answer = try await edge.call("admin", "admin", .GET, "/admin/journal?" + query)
        #expect(answer.status == 200, "\(answer.text)")
        return answer.json["entries"] as? [[String: Any]] ?? []
    }

    @Test("a malformed 電文 is journaled with an excerpt of its bytes and the code it was answered with")
    func malformedXML() async throws {
        try await withEdge { edge in
            let broken = "<Message><MessageHeader><MSGTypeID>IF_SKI_10101_R01</MSGTypeID></MessageHeader><MessageBody><Item>42</Message>"
            let answer = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/xml", text: broken, contentType: "application/xml")
            #expect(answer.status == 400)
            let entry = try #require(try await entries(edge, "interface=xml&limit=1").first)
            #expect(entry["identity"] as? String == "tomakomai/kokuho")
            #expect(entry["code"] as? String == "MALFORMED_MESSAGE")
            #expect(entry["outcome"] as? String == "invalid")
            #expect(entry["status"] as? Int == 400)
            #expect((entry["excerpt"] as? String)?.hasPrefix("<Message><MessageHeader>") == true, "\(entry)")
        }
    }

    @Test("an unknown JSON field is refused with its name and the nearest known one, and journaled with the body")
    func unknownField() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            let answer = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover, extra: ["mod": "async"]))
            expectError(answer, 400, "INVALID_REQUEST")
            let message = try #require(answer.json["message"] as? String)
            #expect(message.hasPrefix(#"the JSON body: unknown key "mod" (did you mean "mode"?); the known keys are"#), "\(message)")
            let entry = try #require(try await entries(edge, "interface=rest&outcome=invalid&limit=1").first)
            #expect(entry["operation"] as? String == "POST /v1/inquiries")
            #expect((entry["excerpt"] as? String)?.contains(#""mod":"async""#) == true, "\(entry)")
        }
    }

    @Test("a rejected batch file and a refused row each have an entry")
    func batch() async throws {
        try await withEdge { edge in
            let empty = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/batch", text: "\r\n", contentType: "text/plain")
            expectError(empty, 400, "INVALID_REQUEST")
            let file = try #require(try await entries(edge, "interface=batch&limit=1").first)
            #expect(file["message"] as? String == "the batch file has no rows")
            #expect(file["outcome"] as? String == "invalid")

            let oneBadRow = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/batch", text: "not,a,row\r\n", contentType: "text/plain")
            #expect(oneBadRow.status == 200)
            let row = try #require(try await entries(edge, "interface=batch-row&limit=1").first)
            #expect(row["code"] as? String == "INVALID_REQUEST")
            #expect(row["excerpt"] as? String == "not,a,row")
            #expect((row["request"] as? [String: String])?["row"] == "1")
        }
    }

    @Test("a handshake with a certificate from another CA is journaled as a tls refusal that says what to do")
    func refusedHandshake() async throws {
        try await withEdge { edge in
            let stranger = try TestPKI().credentials(
                "tomakomai/kokuho", role: .businessSystem, organizationCode: try OrganizationCode("0101213100000000"))
            let client = try LinkageClient.connect(
                as: "tomakomai/kokuho", topology: edge.topology, credentials: stranger, logger: Logger(label: "test")
            ) { edge.network.endpoints.endpoint($0) }
            let question = try InquiryQuestion(item: "42", provider: "sapporo", information: "TAX", topology: edge.topology)
            do throws(RenkeiError) {
                _ = try await client.inquire(.addressNumber("1"), question, deadline: .now() + .seconds(3))
                Issue.record("a certificate from another CA was served")
            } catch {
                // The client's side: which certificate it presented, which CA it trusts, what to do; no BoringSSL stack or build path.
                #expect(error.code == .certificateProblem)
                #expect(
                    error.message.contains("the certificate of atena-tomakomai at 127.0.0.1:")
                        && error.message.contains("was not issued by the CA this side trusts"),
                    "\(error.message)")
                #expect(error.message.contains("This side presented \"") && error.message.contains("CN=tomakomai/kokuho"), "\(error.message)")
                #expect(error.message.contains("trusts the CA \"") && error.message.contains("(SHA-256 "), "\(error.message)")
                #expect(error.message.hasSuffix("(BoringSSL: CERTIFICATE_VERIFY_FAILED)"), "\(error.message)")
                #expect(!error.message.contains("/.build/") && !error.message.contains("OPENSSL_internal"), "\(error.message)")
            }
            await client.shutdown()
            let entry = try #require(try await entries(edge, "interface=tls&limit=1").first)
            #expect(entry["code"] as? String == "CERTIFICATE_PROBLEM")
            #expect(entry["outcome"] as? String == "failed")
            #expect((entry["message"] as? String)?.hasPrefix("atena-tomakomai refused the TLS handshake:") == true, "\(entry)")
            let message = try #require(entry["message"] as? String)
            #expect(message.contains("certs/ca.crt"))
            #expect(message.contains("It accepts client certificates issued by the CA \"") && message.contains("(SHA-256 "), "\(message)")
            #expect(message.hasSuffix("(BoringSSL: TLSV1_ALERT_UNKNOWN_CA)"), "the client refused the node's CA: \(message)")
            #expect(!message.contains("/.build/"), "\(message)")
        }
    }

    @Test("filters: an unknown parameter is refused with the known ones; since takes a span back from now")
    func filters() async throws {
        try await withEdge { edge in
            let wrong = try await edge.call("admin", "admin", .GET, "/admin/journal?outcom=denied")
            expectError(wrong, 400, "INVALID_REQUEST")
            // A span so large that seconds × unit overflows is refused, not trapped on.
            for span in ["99999999999999999d", "9223372036854775807s", "-5m", "36501d"] {
                expectError(try await edge.call("admin", "admin", .GET, "/admin/journal?since=\(span)"), 400, "INVALID_REQUEST")
            }
            #expect((wrong.json["message"] as? String)?.hasPrefix("unknown parameter outcom (did you mean outcome?)") == true, "\(wrong.text)")
            _ = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/errors")
            let recent = try await entries(edge, "since=10m&system=tomakomai/kokuho")
            #expect(recent.contains { $0["operation"] as? String == "GET /v1/errors" && $0["outcome"] as? String == "ok" })
            let errors = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/v1/errors")
            // Reading the journal is not journaled, so the two calls are the two newest lines.
            let jsonl = try await edge.call("admin", "admin", .GET, "/admin/journal?format=jsonl&limit=5")
            let lines = jsonl.text.split(separator: "\n")
            #expect(lines.count == 2, "\(jsonl.text)")
            #expect(lines.allSatisfy { $0.contains(#""operation":"GET /v1/errors""#) })
            let list = try #require(try JSONSerialization.jsonObject(with: Data(errors.body)) as? [[String: Any]])
            #expect(list.count == ErrorCatalogue.renkei.entries.count)
            #expect(list.first?["code"] as? String == ErrorCatalogue.renkei.entries.first?.code.rawValue)
        }
    }
}
