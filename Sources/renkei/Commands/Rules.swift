import ArgumentParser
import Foundation
import RenkeiConfig
import RenkeiCore

struct Rules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Query the 別表第二 rule table.",
        subcommands: [Explain.self, Show.self]
    )

    struct RuleOptions: ParsableArguments {
        @Option(help: "The rule table.")
        var rules: String = "config/rules/beppyo2-2015.yaml"

        func table() throws(RenkeiError) -> RuleTable { try RuleTable.load(from: URL(fileURLWithPath: rules)) }
    }

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say whether an inquiry is permitted, and by which rule.",
            discussion: """
                Prints PERMITTED (exit 0) or DENIED: <reason naming the rule> (exit 3).
                Example: renkei rules explain --item 42 --inquirer 市町村長 --provider 市町村長 --info TAX
                """
        )

        @OptionGroup var options: RuleOptions
        @Option(help: "The 別表第二 item, e.g. 42 or 56-2.") var item: String
        @Option(help: "The inquirer's kind, e.g. 市町村長, 全国健康保険協会.") var inquirer: String
        @Option(help: "The provider's kind, e.g. 市町村長, 日本年金機構.") var provider: String
        @Option(help: "The information class or its abbreviation, e.g. 地方税関係情報 or TAX.") var info: String

        func run() async throws {
            do {
                let table = try options.table()
                let number = try ItemNumber(item)
                for (role, kind) in [("inquirer", inquirer), ("provider", provider)] {
                    switch table.lookupKind(kind) {
                    case .concrete: continue
                    case let .class(name, members):
                        throw ValidationError("--\(role) \(name) is a class, not a kind; give one of its kinds: \(members.joined(separator: ", "))")
                    case .unknown:
                        throw ValidationError(
                            "--\(role) \(kind) is not a kind of organisation in 別表第二; for example 市町村長, 都道府県知事, 厚生労働大臣, 日本年金機構, 全国健康保険協会, 健康保険組合, 後期高齢者医療広域連合"
                        )
                    }
                }
                guard let information = table.informationClass(named: info) else {
                    let known = table.informationClasses.map { "\($0.name) (\($0.abbreviation ?? "-"))" }.joined(separator: ", ")
                    throw ValidationError("--info \(info) is not an information class; known: \(known)")
                }
                switch table.check(item: number, inquirerKinds: [inquirer], providerKinds: [provider], information: information) {
                case let .permitted(itemNumber, index):
                    let row = table.item(itemNumber)
                    let provision = row?.provisions[index]
                    print("PERMITTED")
                    print("別表第二 \(itemNumber.japanese): \(row?.inquirers.joined(separator: "又は") ?? "") — \(row?.affair ?? "")")
                    print("  \(provision?.providers.joined(separator: ", ") ?? "") → \(provision?.information.joined(separator: ", ") ?? "")")
                    for (kind, names) in [(inquirer, row?.inquirers ?? []), (provider, provision?.providers ?? [])] where !names.contains(kind) {
                        if let viaClass = names.first(where: { table.classes[$0]?.contains(kind) == true }) {
                            print("  (\(kind) counts as \(viaClass))")
                        }
                    }
                case let .denied(error, _):
                    throw fail(error)
                }
            } catch let error as RenkeiError {
                throw fail(error)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one row of 別表第二.")

        @OptionGroup var options: RuleOptions
        @Option(help: "The 別表第二 item, e.g. 42 or 56-2.") var item: String

        func run() async throws {
            do {
                let table = try options.table()
                let number = try ItemNumber(item)
                guard let row = table.item(number) else { throw RenkeiError(.unknownItem, "別表第二 has no \(number.japanese)") }
                guard !row.deleted else {
                    print("別表第二 \(number.japanese): 削除 (deleted)")
                    return
                }
                print("別表第二 \(number.japanese)")
                print("情報照会者: \(row.inquirers.joined(separator: "又は"))")
                print("事務: \(row.affair)")
                for provision in row.provisions {
                    print("  \(provision.providers.joined(separator: ", ")) → \(provision.information.joined(separator: ", "))")
                }
            } catch let error as RenkeiError {
                throw fail(error)
            }
        }
    }
}
