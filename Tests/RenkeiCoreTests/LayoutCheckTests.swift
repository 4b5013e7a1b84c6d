import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiTestSupport
import Testing

/// A 副本 against its layout: every problem is found, each with the item it concerns, so the
/// console can show it beside its field and the API names them all in one refusal.
@Suite("副本 layout check")
struct LayoutCheckTests {
    static func tax(_ values: [String: String?]) throws -> (InformationCatalogue.InformationSpec, DuplicateRecord) {
        let catalogue = try Repository.defaultTopology().catalogue
        let spec = try #require(catalogue.spec(try InformationCode("TM00000000000002")))
        let items = (1...9).compactMap { number -> DuplicateRecord.Item? in
            let code = "K000\(number)"
            let fitting = ["K0001": "2025", "K0002": "2024"][code] ?? "0"
            guard let value = values[code] else { return DuplicateRecord.Item(code: code, value: fitting) }
            return value.map { DuplicateRecord.Item(code: code, value: $0) }
        }
        let record = DuplicateRecord(
            informationCode: spec.code, dataSet: "0001", recordKey: "2025", version: 1, publicationDate: nil, endDate: nil, items: items)
        return (spec, record)
    }

    @Test("a record that fits has no problems")
    func fits() throws {
        let (spec, record) = try Self.tax(["K0001": "2025", "K0002": "2024", "K0003": "課税", "K0004": "2400000", "K0009": "2"])
        #expect(spec.problems(record) == [])
        try spec.check(record, at: "entries[0]")
    }

    @Test("every wrong item is named, each with its own sentence: year, whole number, length, missing")
    func everyProblem() throws {
        let (spec, record) = try Self.tax(["K0001": "令和7", "K0003": "課税（特別徴収・年金）", "K0004": "240万", "K0009": nil])
        let problems = spec.problems(record)
        #expect(problems.map(\.item) == ["K0001", "K0003", "K0004", "K0009"])
        #expect(problems[0].message == "item K0001 (課税年度) must be a year as four half-width digits (e.g. 2025), not \"令和7\"")
        #expect(problems[1].message == "item K0003 (課税区分) is 11 characters long; at most 8")
        #expect(problems[2].message == "item K0004 (合計所得金額) must be a whole number in half-width digits (半角数字), not \"240万\"")
        #expect(problems[3].message.hasPrefix("missing K0009 (扶養親族数): "))
        do {
            try spec.check(record, at: "entries[3]")
            Issue.record("a record with four problems was accepted")
        } catch {
            #expect(error.code == .invalidRequest)
            #expect(error.message.hasPrefix("entries[3]: item K0001 (課税年度) must be a year"))
            #expect(error.message.contains("; item K0004 (合計所得金額)") && error.message.contains("; missing K0009"), "\(error.message)")
        }
    }

    @Test("a date item takes yyyy-MM-dd and only a real date")
    func dates() {
        #expect(ItemFormat.date.problem(with: "2025-02-28") == nil)
        #expect(ItemFormat.date.problem(with: "2025-02-29") == "must be a date as yyyy-MM-dd (日付項目), not \"2025-02-29\"")
        #expect(ItemFormat.date.problem(with: "20250228") == "must be a date as yyyy-MM-dd (日付項目), not \"20250228\"")
        #expect(ItemFormat.integer.problem(with: "-12") == nil)
        #expect(ItemFormat.integer.problem(with: "１２") != nil, "full-width digits are not half-width")
        #expect(ItemFormat.allCases.allSatisfy { $0.problem(with: $0.example(7)) == nil }, "what a load run registers fits")
    }

    @Test("a catalogue item with an unknown format or a max_length out of range is refused with INVALID_CONFIGURATION")
    func catalogueFormatsAreChecked() throws {
        let text = try String(contentsOf: Repository.file("config/layout/catalogue.yaml"), encoding: .utf8)
        for (original, hostile, named) in [
            ("name: 課税年度, format: year", "name: 課税年度, format: yen", "format \"yen\" is not one of text, date, integer, year"),
            ("name: 課税区分, max_length: 8", "name: 課税区分, max_length: 0", "max_length must be 1 to 4096, not 0"),
        ] {
            #expect(text.contains(original))
            let url = try scratchDirectory("catalogue").appendingPathComponent("catalogue.yaml")
            try text.replacingOccurrences(of: original, with: hostile).write(to: url, atomically: true, encoding: .utf8)
            do {
                _ = try InformationCatalogue.load(from: url)
                Issue.record("\(hostile) was accepted")
            } catch {
                #expect(error.code == .invalidConfiguration, "\(error)")
                #expect(error.message.contains(named), "\(error.message)")
            }
        }
    }
}
