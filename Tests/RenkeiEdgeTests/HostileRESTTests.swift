import Foundation
import RenkeiEdge
import RenkeiTestSupport
import Testing

/// The JSON, query-string and batch interfaces under hostile input (issue 9): each input is one
/// refusal with its exact status and code, a bounded answer, and the network serves on.
@Suite("Hostile REST, query and batch input", .queuedTimeLimit)
struct HostileRESTTests {
    /// (name, method, path, body, status, code) against 苫小牧市's edge as its 国保 system.
    static let inquiries: [(String, String, [UInt8], Int, String)] = [
        (
            "invalid UTF-8 in a JSON string", "/v1/inquiries",
            Array(#"{"addressNumber":"1"#.utf8) + [0xFF] + Array(#"","item":"42","provider":"sapporo","information":"TAX"}"#.utf8), 400,
            "INVALID_REQUEST"
        ),
        ("a JSON array instead of an object", "/v1/inquiries", Array("[1,2,3]".utf8), 400, "INVALID_REQUEST"),
        (
            "JSON nested 10,000 levels", "/v1/inquiries", Array((String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)).utf8),
            400, "INVALID_REQUEST"
        ),
        (
            "a number where a string belongs", "/v1/inquiries",
            Array(#"{"addressNumber":1000001,"item":"42","provider":"sapporo","information":"TAX"}"#.utf8), 400, "INVALID_REQUEST"
        ),
        (
            "a NUL inside a JSON string", "/v1/inquiries",
            Array(#"{"addressNumber":"1000\u0000001","item":"42","provider":"sapporo","information":"TAX"}"#.utf8), 400, "INVALID_IDENTIFIER"
        ),
        (
            "timeoutMs at Int.max", "/v1/inquiries",
            Array(#"{"addressNumber":"1000001","item":"42","provider":"sapporo","information":"TAX","timeoutMs":9223372036854775807}"#.utf8), 400,
            "INVALID_REQUEST"
        ),
        (
            "timeoutMs beyond Int64", "/v1/inquiries",
            Array(#"{"addressNumber":"1000001","item":"42","provider":"sapporo","information":"TAX","timeoutMs":1e300}"#.utf8), 400, "INVALID_REQUEST"
        ),
        (
            "negative timeoutMs", "/v1/inquiries",
            Array(#"{"addressNumber":"1000001","item":"42","provider":"sapporo","information":"TAX","timeoutMs":-1}"#.utf8), 400, "INVALID_REQUEST"
        ),
        (
            "an item of 10,000 characters", "/v1/inquiries",
            Array(#"{"addressNumber":"1000001","provider":"sapporo","information":"TAX","item":""#.utf8) + Array(repeating: 0x34, count: 10_000)
                + Array(#""}"#.utf8), 400, "INVALID_REQUEST"
        ),
        (
            "a 宛名番号 of 10,000 digits", "/v1/inquiries",
            Array(#"{"item":"42","provider":"sapporo","information":"TAX","addressNumber":""#.utf8) + Array(repeating: 0x31, count: 10_000)
                + Array(#""}"#.utf8), 400, "INVALID_IDENTIFIER"
        ),
        (
            "a 副本 value with a line break", "/v1/duplicates",
            Array(
                #"{"entries":[{"addressNumber":"1000001","information":"TM00000000000002","dataSet":"0001","recordKey":"2019","items":[{"code":"K0001","value":"2019\r\n01,forged"}]}]}"#
                    .utf8), 400, "INVALID_REQUEST"
        ),
        (
            "a 副本 value with U+001E", "/v1/duplicates",
            Array(
                #"{"entries":[{"addressNumber":"1000001","information":"TM00000000000002","dataSet":"0001","recordKey":"2019","items":[{"code":"K0001","value":"20\u001e19"}]}]}"#
                    .utf8), 400, "INVALID_REQUEST"
        ),
        (
            "a 副本 item code that is markup", "/v1/duplicates",
            Array(
                #"{"entries":[{"addressNumber":"1000001","information":"TM00000000000002","dataSet":"0001","recordKey":"2019","items":[{"code":"K0001><x","value":"1"}]}]}"#
                    .utf8), 400, "INVALID_REQUEST"
        ),
        (
            "a 副本 record key with a control character", "/v1/duplicates",
            Array(
                #"{"entries":[{"addressNumber":"1000001","information":"TM00000000000002","dataSet":"0001","recordKey":"20\u000719","items":[]}]}"#
                    .utf8), 400, "INVALID_REQUEST"
        ),
        (
            "a 副本 version of 0", "/v1/duplicates",
            Array(
                #"{"entries":[{"addressNumber":"1000001","information":"TM00000000000002","dataSet":"0001","recordKey":"2019","version":0,"items":[]}]}"#
                    .utf8), 400, "INVALID_REQUEST"
        ),
        (
            "a 副本 version beyond 9999", "/v1/duplicates",
            Array(
                #"{"entries":[{"addressNumber":"1000001","information":"TM00000000000002","dataSet":"0001","recordKey":"2019","version":99999,"items":[]}]}"#
                    .utf8), 400, "INVALID_REQUEST"
        ),
    ]

    static let queries: [(String, String, Int, String)] = [
        ("limit that is not a number", "/v1/records?limit=abc", 400, "INVALID_REQUEST"),
        ("limit beyond Int64", "/v1/records?limit=99999999999999999999999", 400, "INVALID_REQUEST"),
        ("limit above 10,000", "/v1/records?limit=10001", 400, "INVALID_REQUEST"),
        ("a since date in year 99999", "/v1/records?since=99999-01-01", 400, "INVALID_REQUEST"),
        ("an item that is not one", "/v1/records?item=%00", 400, "INVALID_REQUEST"),
        ("an unknown counterpart", "/v1/records?counterpart=%E3%81%82", 404, "UNKNOWN_ORGANIZATION"),
        ("an information that is neither a TM code nor a class", "/v1/records?information=%3Cscript%3E", 404, "UNKNOWN_INFORMATION_CODE"),
        ("a 受付番号 of percent-encoded bytes", "/v1/inquiries/%FF%FE%00", 400, "INVALID_IDENTIFIER"),
        ("a 受付番号 of 5,000 characters", "/v1/inquiries/R" + String(repeating: "9", count: 5_000), 400, "INVALID_IDENTIFIER"),
    ]

    @Test("hostile JSON bodies and query strings are refused with their codes; the network serves on")
    func hostileRequests() async throws {
        try await withEdge { edge in
            for (name, path, body, status, code) in Self.inquiries {
                let holder = path == "/v1/duplicates" ? "tomakomai/zei" : "tomakomai/kokuho"
                let answer = try await edge.call(holder, "atena-tomakomai", .POST, path, bytes: body, contentType: "application/json")
                #expect(answer.status == status && answer.code == code, "\(name): \(answer.status) \(answer.text.prefix(300))")
                #expect(answer.body.count < 2_048, "\(name): the answer is \(answer.body.count) bytes")
            }
            for (name, path, status, code) in Self.queries {
                let answer = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, path)
                #expect(answer.status == status && answer.code == code, "\(name): \(answer.status) \(answer.text.prefix(300))")
            }
            let mover = try #require(edge.movers().first)
            let after = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover))
            #expect(after.status == 200, "the network still answers: \(after.text.prefix(300))")
        }
    }

    @Test("hostile batch files: bytes that are not UTF-8 and oversized rows are refused row by row, echoed only in part")
    func hostileBatch() async throws {
        try await withEdge { edge in
            let good =
                "01,000000001000001,               ,20261126100000000,3595115400          ,user01              ,0101213100000000,0,JM01000000121000,JT90420000000001,                ,                ,0101100200000000,TM00000000000002,0,0,        ,        "
            let file = Array(good.utf8) + [0x0D, 0x0A] + Array("01,".utf8) + [0xFF, 0xFE] + Array(repeating: 0x41, count: 50_000) + [0x0D, 0x0A]
            let answer = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/batch", bytes: file, contentType: "text/plain")
            #expect(answer.status == 200, "\(answer.text.prefix(300))")
            #expect(answer.headers.first(name: "X-Renkei-Rows") == "2")
            #expect(answer.headers.first(name: "X-Renkei-Failed") == "1")
            let lines = answer.text.split(separator: "\r\n")
            #expect(lines.count == 2, "one result line per row, none added")
            #expect((lines.last?.count ?? 0) < 2_000, "the refused row is echoed in part: \(lines.last?.count ?? 0) characters")
            let tooMany = String(repeating: good + "\r\n", count: EdgeLimits.batchRows + 1)
            expectError(
                try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/batch", text: tooMany, contentType: "text/plain"), 400,
                "INVALID_REQUEST")
            expectError(
                try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/batch", bytes: [0x0D, 0x0A, 0x0A], contentType: "text/plain"),
                400, "INVALID_REQUEST")
        }
    }
}
