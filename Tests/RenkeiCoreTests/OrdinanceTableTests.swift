import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiTestSupport
import Testing

/// Issue 12 §7: the table of 第二条 of 令和六年デジタル庁・総務省令第九号, in force from 2024-05-27.
/// The items below were checked cell by cell against the law text as amended to 2025-04-01
/// (ledmonster/japanese-law raw/506/506M60004008009_20250401_507M60004008003.html): 1, 2, 45–52
/// and 112–123.
@Suite("The 2024 ordinance", .timeLimit(.minutes(3)))
struct OrdinanceTableTests {
    static let book: RuleBook = {
        do { return try Repository.defaultTopology().rules } catch { fatalError("the default topology does not load: \(error)") }
    }()
    static let lastDayOf2015Table = try! CivilDate("2024-05-26")
    static let firstDayOfOrdinance = try! CivilDate("2024-05-27")
    static let today = try! CivilDate("2026-12-02")

    static func check(
        _ item: String, _ inquirer: String, _ provider: String, _ information: String, on date: CivilDate = today
    ) throws
        -> RuleDecision
    {
        let citation = try ItemCitation(item)
        let reference = try book.reference(for: citation, on: date)
        let info = try #require(book.informationClass(named: information), "\(information) is an information class")
        return book.check(
            reference, citedIn: book.numbering(of: citation, on: date), on: date, inquirerKinds: [inquirer], providerKinds: [provider],
            information: info)
    }

    @Test("the ordinance has 173 items, switches in on 2024-05-27, and maps the seed's items 27 → 48, 42 → 69, 43 → 70")
    func shapeAndSwitch() throws {
        let ordinance = try #require(Self.book.ordinance2024)
        #expect(ordinance.items.count == 173)
        #expect(Self.book.ordinanceFrom.description == "2024-05-27")
        #expect(RuleBook.ordinanceEnforcement.description == "2024-05-27")
        #expect(Self.book.inForce(on: Self.lastDayOf2015Table).numbering == .beppyo2015)
        #expect(Self.book.inForce(on: Self.firstDayOfOrdinance).numbering == .ordinance2024)
        for (legacy, successor) in [("27", "48"), ("42", "69"), ("43", "70")] {
            let reference = try Self.book.reference(for: try ItemCitation(legacy), on: Self.today)
            #expect(reference.legacy?.description == legacy)
            #expect(reference.ordinance?.description == successor, "別表第二 \(legacy) continues as \(successor)")
            let back = try Self.book.reference(for: try ItemCitation("2024:\(successor)"), on: Self.today)
            #expect(back.legacy?.description == legacy, "ordinance \(successor) names its 別表第二 item")
        }
    }

    @Test("別表第二 decides until 2024-05-26 and the ordinance from 2024-05-27: 年金 for 地方税 is permitted under 27, not under 48")
    func theSwitchChangesWhatIsPermitted() throws {
        // 別表第二 第27項 lets a 市町村長 ask 日本年金機構 for 年金給付関係情報; 命令 第48項 has no such row.
        let before = try Self.check("27", "市町村長", "日本年金機構", "NENKIN", on: Self.lastDayOf2015Table)
        #expect(before == .permitted(item: try ItemNumber("27"), provisionIndex: 4))
        let after = try Self.check("27", "市町村長", "日本年金機構", "NENKIN", on: Self.firstDayOfOrdinance)
        guard case let .denied(error, field) = after else {
            Issue.record("permitted after the switch: \(after)")
            return
        }
        #expect(error.code == .ruleNotPermitted)
        #expect(field == .provider)
        #expect(error.message.hasPrefix("別表第二 第27項 (命令第二条の表 第48項): 命令第二条の表 第48項"), "the denial names both numberings: \(error.message)")
        // The tax inquiry itself is permitted on both sides of the switch, under each numbering.
        #expect(try Self.check("27", "市町村長", "市町村長", "TAX", on: Self.lastDayOf2015Table).isPermitted)
        #expect(
            try Self.check("27", "市町村長", "市町村長", "TAX", on: Self.firstDayOfOrdinance) == .permitted(item: try ItemNumber("48"), provisionIndex: 4))
        #expect(try Self.check("2024:48", "市町村長", "市町村長", "TAX", on: Self.firstDayOfOrdinance).isPermitted)
    }

    @Test("an ordinance item before 2024-05-27 and a 別表第二 item without a counterpart after it are not in force")
    func notInForce() throws {
        let early = try Self.check("2024:48", "市町村長", "市町村長", "TAX", on: Self.lastDayOf2015Table)
        guard case let .denied(error, field) = early else {
            Issue.record("an ordinance item was permitted before the ordinance: \(early)")
            return
        }
        #expect(error.code == .itemNotInForce)
        #expect(field == .item)
        #expect(error.message == "命令第二条の表 第48項 is in force from 2024-05-27, not on 2024-05-26; cite 別表第二 第27項")

        // 別表第二 第45項 (国民健康保険 特別徴収) has no item in the ordinance.
        let orphan = try Self.book.reference(for: try ItemCitation("45"), on: Self.today)
        #expect(orphan.ordinance == nil)
        guard
            case let .denied(late, _) = Self.book.check(
                orphan, citedIn: .beppyo2015, on: Self.today, inquirerKinds: ["市町村長"], providerKinds: ["日本年金機構"], information: "年金給付関係情報")
        else {
            Issue.record("a 別表第二 item without a counterpart was permitted after the switch")
            return
        }
        #expect(late.code == .itemNotInForce)
        #expect(late.message.contains("別表第二 第45項 has no counterpart in the 2024 ordinance"), "\(late.message)")
    }

    @Test("a citation names its table; unknown tables and items are refused with their code")
    func citations() throws {
        #expect(try ItemCitation("2024:48") == ItemCitation(numbering: .ordinance2024, number: try ItemNumber("48")))
        #expect(try ItemCitation("2015:56-2").description == "2015:56-2")
        #expect(try ItemCitation("42").numbering == nil)
        #expect(throws: RenkeiError.self) { try ItemCitation("2019:42") }
        do {
            _ = try Self.book.reference(for: try ItemCitation("2024:174"), on: Self.today)
            Issue.record("ordinance item 174 exists")
        } catch {
            #expect(error.code == .unknownItem)
            #expect(error.message == "命令第二条の表 has no 第174項; items run from 1 to 173")
        }
    }

    @Test("plain numbers read as the table in force when the topology says in_force")
    func plainNumbersInForce() throws {
        let book = try RuleBook(
            beppyo2015: Self.book.beppyo2015, ordinance2024: Self.book.ordinance2024, plainNumbers: .inForce)
        #expect(try book.reference(for: try ItemCitation("48"), on: Self.today).legacy?.description == "27")
        #expect(try book.reference(for: try ItemCitation("27"), on: Self.lastDayOf2015Table).ordinance?.description == "48")
    }

    /// (item, inquirer, provider, information): permitted under the ordinance, each beside a
    /// near miss refused with RULE_NOT_PERMITTED.
    static let permitted: [(String, String, String, String)] = [
        ("1", "厚生労働大臣", "法務大臣", "戸籍関係情報"),
        ("2", "全国健康保険協会", "市町村長", "介護保険給付等関係情報"),
        ("45", "国土交通大臣", "法務大臣", "KOSEKI"),
        ("46", "都道府県知事", "法務大臣", "KOSEKI"),
        ("47", "都道府県知事", "法務大臣", "KOSEKI"),
        ("48", "市町村長", "市町村長", "母子保健法による妊娠の届出に関する情報"),
        ("49", "都道府県知事", "市町村長", "TAX"),
        ("50", "国税庁長官", "内閣総理大臣", "公的給付支給等口座登録簿関係情報"),
        ("51", "日本行政書士会連合会", "法務大臣", "KOSEKI"),
        ("52", "国土交通大臣", "法務大臣", "KOSEKI"),
        ("112", "厚生労働大臣", "市町村長", "JUMIN"),
        ("113", "厚生労働大臣", "都道府県知事", "障害者関係情報"),
        ("114", "厚生労働大臣", "法務大臣", "KOSEKI"),
        ("115", "後期高齢者医療広域連合", "全国健康保険協会", "IRYO"),
        ("116", "後期高齢者医療広域連合", "日本年金機構", "NENKIN"),
        ("117", "市町村長", "内閣総理大臣", "KOZA"),
        ("118", "厚生労働大臣", "市町村長", "JUMIN"),
        ("119", "都道府県知事", "厚生労働大臣", "他法給付関係情報"),
        ("120", "厚生労働大臣", "法務大臣", "KOSEKI"),
        ("121", "厚生労働大臣", "法務大臣", "KOSEKI"),
        ("122", "厚生労働大臣", "法務大臣", "KOSEKI"),
        ("123", "厚生労働大臣", "法務大臣", "KOSEKI"),
    ]

    static let denied: [(String, String, String, String, RuleDecision.Field)] = [
        ("1", "厚生労働大臣", "市町村長", "介護保険給付等関係情報", .information),
        ("2", "健康保険組合", "市町村長", "TAX", .inquirer),
        ("45", "国土交通大臣", "市町村長", "TAX", .provider),
        ("46", "市町村長", "法務大臣", "KOSEKI", .inquirer),
        ("47", "都道府県知事", "内閣総理大臣", "KOZA", .provider),
        ("48", "市町村長", "日本年金機構", "NENKIN", .provider),
        ("49", "都道府県知事", "市町村長", "JUMIN", .information),
        ("50", "国税庁長官", "法務大臣", "KOSEKI", .provider),
        ("51", "日本行政書士会連合会", "内閣総理大臣", "KOZA", .provider),
        ("52", "都道府県知事", "法務大臣", "KOSEKI", .inquirer),
        ("112", "厚生労働大臣", "市町村長", "TAX", .information),
        ("113", "厚生労働大臣", "市町村長", "障害者関係情報", .provider),
        ("114", "厚生労働大臣", "市町村長", "JUMIN", .provider),
        ("115", "後期高齢者医療広域連合", "市町村長", "NENKIN", .information),
        ("116", "後期高齢者医療広域連合", "日本年金機構", "特別障害給付金関係情報", .information),
        ("117", "市町村長", "法務大臣", "KOSEKI", .provider),
        ("118", "厚生労働大臣", "市町村長", "TAX", .information),
        ("119", "国税庁長官", "厚生労働大臣", "他法給付関係情報", .inquirer),
        ("120", "厚生労働大臣", "内閣総理大臣", "KOZA", .provider),
        ("121", "厚生労働大臣", "市町村長", "JUMIN", .provider),
        ("122", "厚生労働大臣", "内閣総理大臣", "KOZA", .provider),
        ("123", "厚生労働大臣", "市町村長", "TAX", .provider),
    ]

    @Test("ordinance items permit what the law text lists", arguments: permitted)
    func permits(_ item: String, _ inquirer: String, _ provider: String, _ information: String) throws {
        let decision = try Self.check("2024:\(item)", inquirer, provider, information)
        #expect(decision.isPermitted, "命令 第\(item)項: \(inquirer) ← \(provider) \(information): \(decision)")
    }

    @Test("ordinance items refuse their near misses", arguments: denied)
    func refuses(_ item: String, _ inquirer: String, _ provider: String, _ information: String, _ expected: RuleDecision.Field) throws {
        let decision = try Self.check("2024:\(item)", inquirer, provider, information)
        guard case let .denied(error, field) = decision else {
            Issue.record("命令 第\(item)項 permitted \(inquirer) ← \(provider) \(information)")
            return
        }
        #expect(error.code == .ruleNotPermitted)
        #expect(field == expected, "\(error.message)")
        #expect(error.message.contains("第\(item)項"), "\(error.message)")
    }

    @Test("the permitted and denied lists cover at least 20 items each, the same items")
    func coverage() {
        #expect(Set(Self.permitted.map(\.0)).count >= 20)
        #expect(Set(Self.permitted.map(\.0)) == Set(Self.denied.map(\.0)))
    }
}
