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
            ("94", "市町村長", "共済組合等", "NENKIN"),
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
        for kind in ["全国健康保険協会", "健康保険組合", "共済組合等", "国民健康保険組合", "市町村長"] {
            #expect(members.contains(kind))
        }
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
