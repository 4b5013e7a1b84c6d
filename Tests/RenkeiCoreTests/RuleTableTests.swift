import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiTestSupport
import Testing

@Suite("別表第二", .timeLimit(.minutes(3)))
struct RuleTableTests {
    static let table: RuleTable = {
        do { return try RuleTable.load(from: Repository.root.appendingPathComponent("config/rules/beppyo2-2015.yaml")) } catch {
            fatalError("the rule table does not load: \(error)")
        }
    }()

    @Test("every cell was checked against the law text: none is cut short with …")
    func noTruncatedCells() {
        var cells = [String]()
        for item in Self.table.items {
            cells += item.inquirers + [item.affair]
            for provision in item.provisions { cells += provision.providers + provision.information }
        }
        #expect(cells.count > 600)
        #expect(cells.filter { $0.contains("…") } == [])
    }

    @Test("the table has all 120 rows, the inserted 56-2, and row 36 deleted")
    func shape() throws {
        #expect(Self.table.items.count == 121)
        #expect(Self.table.items.filter(\.deleted).map(\.number.description) == ["36"])
        #expect(Self.table.item(try ItemNumber("56-2"))?.inquirers == ["市町村長"])
        #expect(Self.table.item(try ItemNumber("120")) != nil)
    }

    @Test(
        "permitted",
        arguments: [
            ("1", "厚生労働大臣", "全国健康保険協会", "IRYO"),
            ("1", "厚生労働大臣", "市町村長", "TAX"),
            ("1", "厚生労働大臣", "日本年金機構", "NENKIN"),
            ("2", "全国健康保険協会", "市町村長", "IRYO"),
            ("2", "全国健康保険協会", "後期高齢者医療広域連合", "医療保険給付関係情報"),
            ("3", "健康保険組合", "国民健康保険組合", "IRYO"),
            ("5", "全国健康保険協会", "厚生労働大臣", "ROSAI"),
            ("8", "都道府県知事", "市町村長", "JUMIN"),
            ("13", "市町村長", "都道府県知事", "JIFU"),
            ("20", "市町村長", "市町村長", "住民票関係情報"),
            ("26", "都道府県知事", "市町村長", "JITE"),
            ("27", "市町村長", "市町村長", "TAX"),
            ("27", "市町村長", "日本年金機構", "NENKIN"),
            ("27", "市町村長", "厚生労働大臣", "KOYO"),
            ("42", "市町村長", "市町村長", "地方税関係情報"),
            ("42", "国民健康保険組合", "全国健康保険協会", "IRYO"),
            ("45", "市町村長", "日本年金機構", "NENKIN"),
            ("56-2", "市町村長", "都道府県知事", "SHOGAI"),
            ("74", "市町村長", "市町村長", "TAX"),
            ("80", "後期高齢者医療広域連合", "市町村長", "KAIGO"),
            ("93", "市町村長", "市町村長", "OTHER-LAW-BENEFIT"),
            ("94", "市町村長", "全国市町村職員共済組合連合会", "NENKIN"),
            ("117", "厚生労働大臣", "市町村長", "KAIGO"),
            ("120", "都道府県知事", "市町村長", "JUMIN"),
        ])
    func permitted(item: String, inquirer: String, provider: String, info: String) throws {
        let information = try #require(Self.table.informationClass(named: info))
        let decision = Self.table.check(item: try ItemNumber(item), inquirerKinds: [inquirer], providerKinds: [provider], information: information)
        #expect(decision.isPermitted, "\(item) \(inquirer) → \(provider) \(info): \(decision)")
    }

    @Test(
        "denied",
        arguments: [
            ("36", "市町村長", "市町村長", "TAX", ErrorCode.itemDeleted),
            ("121", "市町村長", "市町村長", "TAX", .unknownItem),
            ("42", "市町村長", "日本年金機構", "NENKIN", .ruleNotPermitted),
            ("42", "全国健康保険協会", "市町村長", "TAX", .ruleNotPermitted),
            ("42", "市町村長", "後期高齢者医療広域連合", "TAX", .ruleNotPermitted),
            ("45", "市町村長", "市町村長", "TAX", .ruleNotPermitted),
            ("2", "全国健康保険協会", "日本年金機構", "IRYO", .ruleNotPermitted),
            ("3", "健康保険組合", "日本年金機構", "IRYO", .ruleNotPermitted),
            ("27", "市町村長", "市町村長", "KAIGO", .ruleNotPermitted),
            ("27", "日本年金機構", "市町村長", "TAX", .ruleNotPermitted),
            ("1", "市町村長", "市町村長", "TAX", .ruleNotPermitted),
            ("74", "市町村長", "日本年金機構", "NENKIN", .ruleNotPermitted),
            ("75", "市町村長", "市町村長", "TAX", .ruleNotPermitted),
            ("28", "都道府県知事", "市町村長", "JUMIN", .ruleNotPermitted),
            ("44", "市町村長", "日本年金機構", "KOYO", .ruleNotPermitted),
            ("20", "市町村長", "市町村長", "TAX", .ruleNotPermitted),
            ("5", "全国健康保険協会", "市町村長", "TAX", .ruleNotPermitted),
            ("80", "後期高齢者医療広域連合", "日本年金機構", "NENKIN", .ruleNotPermitted),
            ("94", "全国健康保険協会", "市町村長", "TAX", .ruleNotPermitted),
            ("120", "都道府県知事", "市町村長", "KAIGO", .ruleNotPermitted),
            ("56-2", "市町村長", "市町村長", "TAX", .ruleNotPermitted),
            ("117", "厚生労働大臣", "日本年金機構", "NENKIN", .ruleNotPermitted),
        ])
    func denied(item: String, inquirer: String, provider: String, info: String, code: ErrorCode) throws {
        let information = try #require(Self.table.informationClass(named: info))
        let decision = Self.table.check(item: try ItemNumber(item), inquirerKinds: [inquirer], providerKinds: [provider], information: information)
        guard case let .denied(error, _) = decision else {
            Issue.record("\(item) \(inquirer) → \(provider) \(info) was permitted")
            return
        }
        #expect(error.code == code)
        if code == .ruleNotPermitted {
            #expect(error.message.contains("別表第二 第\(item.replacingOccurrences(of: "-", with: "項の"))"), "the reason names the rule: \(error.message)")
        }
    }

    static let jiritsu = "障害者の日常生活及び社会生活を総合的に支援するための法律による自立支援給付の支給に関する情報"

    @Test(
        "the rows corrected against the 2015 law text: what the digest dropped is permitted",
        arguments: [
            ("16", "市町村長", "市町村長", jiritsu),
            ("16", "都道府県知事", "都道府県知事", "児童福祉法による障害児入所支援若しくは措置（同法第二十七条第一項第三号の措置をいう。）に関する情報"),
            ("26", "市長", "厚生労働大臣", "原子爆弾被爆者に対する援護に関する法律による一般疾病医療費の支給に関する情報"),
            ("26", "市長", "市町村長", "母子保健法による養育医療の給付若しくは養育医療に要する費用の支給に関する情報"),
            ("26", "福祉事務所を管理する町村長", "市町村長", jiritsu),
            ("31", "市町村長", "市町村長", "TAX"),
            ("54", "都道府県知事", "都道府県知事", "SHOGAI"),
            ("56-2", "市町村長", "都道府県知事", "精神保健及び精神障害者福祉に関する法律による入院措置若しくは難病の患者に対する医療等に関する法律による特定医療費の支給に関する情報"),
            ("59", "全国市町村職員共済組合連合会", "市町村長", "TAX"),
            ("60", "全国市町村職員共済組合連合会", "地方公務員災害補償基金", "CHIKOSAI"),
            ("87", "市長", "市町村長", jiritsu),
            ("92", "平成八年法律第八十二号附則第四十八条第一項に規定する指定基金", "日本年金機構", "NENKIN"),
            ("98", "企業年金連合会", "日本年金機構", "NENKIN"),
            ("119", "企業年金連合会", "日本年金機構", "NENKIN"),
        ])
    func correctedRowsPermit(item: String, inquirer: String, provider: String, info: String) throws {
        try permitted(item: item, inquirer: inquirer, provider: provider, info: info)
    }

    @Test(
        "the rows corrected against the 2015 law text: each still refuses what it does not list",
        arguments: [
            ("16", "市町村長", "市町村長", "KAIGO"),
            ("26", "市町村長", "市町村長", "TAX"),  // a 町村長 without a 福祉事務所 is not one of 都道府県知事等
            ("31", "国民健康保険組合", "市町村長", "TAX"),
            ("54", "市町村長", "日本年金機構", "NENKIN"),
            ("56-2", "市町村長", "市町村長", "TAX"),
            ("59", "全国市町村職員共済組合", "市町村長", "TAX"),  // the digest's truncated name is no body of the law
            ("60", "全国市町村職員共済組合連合会", "市町村長", "TAX"),
            ("87", "市町村長", "市町村長", "TAX"),
            ("92", "平成八年法律第八十二号附則第三十二条第二項に規定する存続組合", "都道府県知事", "SHOGAI"),
            ("98", "確定給付企業年金法第二十九条第一項に規定する事業主等", "市町村長", "TAX"),
            ("119", "企業年金連合会", "市町村長", "TAX"),
        ])
    func correctedRowsDeny(item: String, inquirer: String, provider: String, info: String) throws {
        try denied(item: item, inquirer: inquirer, provider: provider, info: info, code: .ruleNotPermitted)
    }

    @Test("the reason says which side missed: the inquirer, the provider, or the information")
    func nearMisses() throws {
        let item42 = try ItemNumber("42")
        guard
            case let .denied(inquirer, .inquirer) = Self.table.check(
                item: item42, inquirerKinds: ["全国健康保険協会"], providerKinds: ["市町村長"], information: "地方税関係情報")
        else {
            Issue.record("permitted")
            return
        }
        #expect(inquirer.message.contains("the 情報照会者 must be 市町村長又は国民健康保険組合"))
        guard
            case let .denied(provider, .provider) = Self.table.check(
                item: item42, inquirerKinds: ["市町村長"], providerKinds: ["日本年金機構"], information: "医療保険給付関係情報")
        else {
            Issue.record("permitted")
            return
        }
        #expect(provider.message.contains("is provided under this item, but not by 日本年金機構"))
        guard
            case let .denied(information, .information) = Self.table.check(
                item: item42, inquirerKinds: ["市町村長"], providerKinds: ["市町村長"], information: "年金給付関係情報")
        else {
            Issue.record("permitted")
            return
        }
        #expect(information.message.contains("is a provider under this item, but not of 年金給付関係情報"))
    }

    @Test("医療保険者 stands for the insurers of row 1, 市町村長 among them")
    func medicalInsurerClass() {
        guard case let .class(_, members) = Self.table.lookupKind("医療保険者") else {
            Issue.record("医療保険者 is not a class")
            return
        }
        for kind in ["全国健康保険協会", "健康保険組合", "日本私立学校振興・共済事業団", "国家公務員共済組合", "地方公務員共済組合", "国民健康保険組合", "市町村長"] {
            #expect(members.contains(kind))
        }
        // 共済組合等 are the pension-paying bodies of 別表第一 row 24, not the medical insurers of row 1.
        #expect(!members.contains("共済組合等") && !members.contains("国家公務員共済組合連合会"))
        #expect(Self.table.lookupKind("市町村長") == .concrete("市町村長"))
        #expect(Self.table.lookupKind("どこかの機関") == .unknown)
    }

    @Test("an organisation with several kinds is permitted when any of them is")
    func severalKinds() throws {
        let decision = Self.table.check(
            item: try ItemNumber("45"), inquirerKinds: ["市町村長"], providerKinds: ["国家公務員共済組合連合会", "共済組合等"], information: "年金給付関係情報")
        #expect(decision.isPermitted)
    }

    @Test("classes that refer to each other are refused at load")
    func classLoop() {
        #expect(throws: RenkeiError.self) {
            try RuleTable(items: [], classes: ["A": ["B"], "B": ["A"]], informationClasses: [])
        }
    }
}
