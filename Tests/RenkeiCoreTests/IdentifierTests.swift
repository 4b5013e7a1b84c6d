import RenkeiCore
import RenkeiTestSupport
import Testing

@Suite("Identifiers", .timeLimit(.minutes(3)))
struct IdentifierTests {
    @Test(
        "個人番号 check digits match the vectors of domain.md §3.2",
        arguments: [
            ("98320567321", 4), ("12345678901", 8), ("11111111111", 8), ("99999999999", 6), ("27182818284", 0), ("00000000000", 0),
        ])
    func myNumberCheckDigit(body: String, check: Int) throws {
        let digits = body.map { Int(String($0))! }
        #expect(CheckDigit.myNumber(digits) == check)
        let number = try MyNumber(body + String(check))
        #expect(number.rawValue == body + String(check))
        #expect(try MyNumber(body: digits) == number)
    }

    @Test("a 個人番号 with a wrong check digit is refused and says what was expected")
    func myNumberWrongCheckDigit() {
        #expect(throws: IdentifierError(kind: "個人番号", input: "983205673215", reason: .checkDigitMismatch(expected: 4, actual: 5))) {
            try MyNumber("983205673215")
        }
    }

    @Test(
        "malformed 個人番号 are refused with the right reason",
        arguments: [
            ("12345678901", IdentifierError.Reason.wrongLength(expected: 12, actual: 11)),
            ("1234567890123", .wrongLength(expected: 12, actual: 13)),
            ("98320567321A", .notNumeric),
            ("９８３２０５６７３２１４", .wrongLength(expected: 12, actual: 12)),
            ("", .empty),
        ])
    func malformedMyNumber(input: String, reason: IdentifierError.Reason) {
        do {
            _ = try MyNumber(input)
            Issue.record("\(input) was accepted")
        } catch {
            #expect(error.reason == reason)
            #expect(error.description.contains("個人番号"))
        }
    }

    @Test("地方公共団体コード check digits: 苫小牧市 012131, 札幌市 011002, 中央区 011011")
    func localGovernmentCodes() throws {
        #expect(try LocalGovernmentCode("012131").administrativeRegion == "213")
        #expect(try LocalGovernmentCode("011002").prefecture == "01")
        _ = try LocalGovernmentCode("011011")
        #expect(throws: IdentifierError.self) { try LocalGovernmentCode("012132") }
        #expect(throws: IdentifierError.self) { try LocalGovernmentCode("01213") }
    }

    @Test("layout codes need their own prefix and 14 digits")
    func layoutCodes() throws {
        _ = try AffairCode("JM01000000121000")
        _ = try ProcedureCode("JT01010000000214")
        _ = try InformationCode("TM00000000000002")
        #expect(throws: IdentifierError(kind: "特定個人情報名コード", input: "JT00000000000002", reason: .wrongPrefix(expected: "TM"))) {
            try InformationCode("JT00000000000002")
        }
        #expect(throws: IdentifierError.self) { try ProcedureCode("JT0101000000021") }
        #expect(throws: IdentifierError.self) { try AffairCode("JM0100000012100X") }
    }

    @Test("宛名番号 is zero-padded to 15 digits, 統合宛名番号 must be 15, 機関コード 16")
    func numberWidths() throws {
        #expect(try AddressNumber("1000001").rawValue == "000000001000001")
        #expect(try AddressNumber("1000001") == AddressNumber("000000001000001"))
        #expect(try AddressNumber("1000001").short == "0001000001")
        #expect(throws: IdentifierError.self) { try AddressNumber("1234567890123456") }
        #expect(throws: IdentifierError.self) { try AddressNumber("12a") }
        _ = try IntegratedAddressNumber("000000014689427")
        #expect(throws: IdentifierError.self) { try IntegratedAddressNumber("14689427") }
        _ = try OrganizationCode("0220113112101700")
        #expect(throws: IdentifierError.self) { try OrganizationCode("022011311210170") }
    }

    @Test("住民票コード carry the stand-in check digit")
    func residentCodes() throws {
        let code = ResidentCode(body: [1, 2, 3, 4, 5, 6, 7, 8, 9, 0])
        #expect(try ResidentCode(code.rawValue) == code)
        let wrong = String(code.rawValue.dropLast()) + String((Int(String(code.rawValue.last!))! + 1) % 10)
        #expect(throws: IdentifierError.self) { try ResidentCode(wrong) }
        _ = try ResidentCode(wrong, verifyingCheckDigit: false)
    }

    @Test("符号 are bounded, URL-safe, and never printed whole")
    func linkCodes() throws {
        let code = try LinkCode("abcDEF-_0123456789")
        #expect(code.description == "abcDEF-_…")
        #expect(throws: IdentifierError.self) { try LinkCode("has space") }
        #expect(throws: IdentifierError.self) { try LinkCode(String(repeating: "a", count: 129)) }
    }

    @Test("別表第二 item numbers: 42, 56-2 and 56の2")
    func itemNumbers() throws {
        #expect(try ItemNumber("42").japanese == "第42項")
        #expect(try ItemNumber("56-2") == ItemNumber("56の2"))
        #expect(try ItemNumber("56の2").japanese == "第56項の2")
        for bad in ["", "0", "abc", "42-1", "42-", "1000"] {
            #expect(throws: RenkeiError.self) { try ItemNumber(bad) }
        }
    }

    @Test("civil dates round-trip through day counts and know their 年度")
    func civilDates() throws {
        let date = try CivilDate("2026-03-31")
        #expect(date.fiscalYear == 2025)
        #expect(date.adding(days: 1).description == "2026-04-01")
        #expect(date.adding(days: 1).fiscalYear == 2026)
        #expect(CivilDate(daysSinceEpoch: date.daysSinceEpoch) == date)
        #expect(try CivilDate("20240229").description == "2024-02-29")
        #expect(throws: RenkeiError.self) { try CivilDate("2025-02-29") }
        #expect("TM02".fullWidth == "ＴＭ０２")
    }
}
