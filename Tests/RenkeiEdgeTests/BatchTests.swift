import Foundation
import NIOHTTP1
import RenkeiEdge
import RenkeiTestSupport
import Testing

/// One fixed-width 一括照会 row (domain.md §6.3).
func batchRow(
    _ addressNumber: String, time: Int, provider: String = "0101100200000000", information: String = "TM00000000000002",
    procedure: String = "JT90420000000001", inquirer: String = "0101213100000000"
) -> String {
    func pad(_ text: String, _ width: Int, left: Character = "0") -> String { String(repeating: left, count: max(0, width - text.count)) + text }
    func right(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
    return [
        "01", pad(addressNumber, 15), String(repeating: " ", count: 15), "20261126" + pad(String(time), 9), right("3595115400", 20),
        right("user01", 20),
        inquirer, "0", "JM01000000121000", procedure, String(repeating: " ", count: 16), String(repeating: " ", count: 16), right(provider, 16),
        information, "0", "0", String(repeating: " ", count: 8), String(repeating: " ", count: 8),
    ].joined(separator: ",")
}

@Suite("一括照会 batch files over HTTPS", .queuedTimeLimit)
struct BatchTests {
    @Test("every row runs; malformed, duplicate, 符号未取得 and forbidden rows are reported in the result file with the real sentences")
    func mixedFile() async throws {
        try await withEdge { edge in
            let movers = edge.movers()
            let pending = try #require(edge.people(of: "tomakomai") { entry, _ in !entry.linkCodeAcquired }.first).0.addressNumber.short
            var rows = movers.prefix(40).enumerated().map { batchRow($0.element, time: $0.offset) }
            rows.append(batchRow(pending, time: 100))  // 符号未取得
            rows.append(batchRow(movers[0], time: 101, provider: "0300000000000001", information: "TM90000000000004"))  // not permitted
            rows.append(batchRow(movers[1], time: 1))  // duplicate of row 2
            rows.append(batchRow(movers[2], time: 102).replacingOccurrences(of: "JT90420000000001", with: "JT9042000000001X"))  // malformed column 10
            rows.append(String(batchRow(movers[3], time: 103).dropFirst(3)))  // too few characters
            rows.append(batchRow(movers[4], time: 104, inquirer: "0101100200000000"))  // column 7 is another 機関
            rows.append(batchRow(movers[5], time: 105, provider: "01100"))  // 5-digit 団体コード for 札幌市
            let response = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/batch", text: rows.joined(separator: "\r\n") + "\r\n", contentType: "text/plain")
            #expect(response.status == 200, "\(response.text.prefix(300))")
            #expect(response.headers.first(name: "X-Renkei-Rows") == String(rows.count))
            #expect(response.headers.first(name: "X-Renkei-Failed") == "6")
            let lines = response.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == rows.count)
            let columns = lines.map { $0.components(separatedBy: ",") }
            #expect(columns[0][19] == "09" && columns[0][20] == "正常終了" && columns[0][21] == "01", "\(lines[0])")
            #expect(columns[0].count > 22, "data columns follow the status columns")
            #expect(columns[0][1] == rows[0].components(separatedBy: ",")[1], "the row comes back as sent")
            #expect(lines[40].contains("は符号が未取得です。"))
            #expect(lines[41].contains("の照会は許可されていません。"))
            #expect(lines[42].contains("「レコード識別番号」が既に存在しています。"))
            #expect(lines[43].contains("10列目（事務手続きコード）"))
            #expect(lines[44].contains("列目"))
            #expect(lines[45].contains("7列目（情報照会者機関コード）"))
            #expect(columns[46][20] == "正常終了", "a 5-digit 地方公共団体コード names the provider")
        }
    }

    @Test("negative cases: empty and oversized files are refused")
    func refusals() async throws {
        try await withEdge { edge in
            expectError(
                try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/batch", text: "\r\n", contentType: "text/plain"), 400,
                "INVALID_REQUEST")
            let tooMany = (0..<10_001).map { _ in "x" }.joined(separator: "\r\n")
            expectError(
                try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/batch", text: tooMany, contentType: "text/plain"), 400,
                "INVALID_REQUEST")
            let tooBig = String(repeating: "0", count: 5 * 1024 * 1024)
            expectError(
                try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/batch", text: tooBig, contentType: "text/plain"), 413,
                "BODY_TOO_LARGE")
        }
    }
}
