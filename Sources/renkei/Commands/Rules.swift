import ArgumentParser
import Foundation
import RenkeiConfig
import RenkeiCore

struct Rules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Query the rule tables: 別表第二 (2015) and the 2024 ordinance that replaced it.",
        discussion: """
            Items are cited as 27 (read as the topology's rules.plain_item_numbers say, 別表第二 by \
            default), 2015:27 (別表第二) or 2024:48 (the ordinance). Which table decides follows the \
            date: 別表第二 before 2024-05-27, the ordinance from then on.
            """,
        subcommands: [Explain.self, Show.self]
    )

    struct RuleOptions: ParsableArguments {
        @Option(help: "The topology file; its `rules` section names the tables.")
        var config: String = "config/topology.yaml"

        @Option(help: "The date the rules are judged on (yyyy-MM-dd); today by default.")
        var date: String?

        func book() throws(RenkeiError) -> (RuleBook, CivilDate) {
            let today = try date.map { text throws(RenkeiError) in try CivilDate(text) } ?? SimulationClock().today()
            return (try Topology.load(from: URL(fileURLWithPath: config), today: today).rules, today)
        }
    }

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say whether an inquiry is permitted, and by which rule.",
            discussion: """
                Prints PERMITTED (exit 0) or DENIED: <reason naming the rule in both numberings> (exit 3).
                Example: renkei rules explain --item 42 --inquirer 市町村長 --provider 市町村長 --info TAX
                """
        )

        @OptionGroup var options: RuleOptions
        @Option(help: "The item: 42, 56-2, 2015:42 or 2024:69.") var item: String
        @Option(help: "The inquirer's kind, e.g. 市町村長, 全国健康保険協会.") var inquirer: String
        @Option(help: "The provider's kind, e.g. 市町村長, 日本年金機構.") var provider: String
        @Option(help: "The information class or its abbreviation, e.g. 地方税関係情報 or TAX.") var info: String

        func run() async throws {
            do {
                let (book, date) = try options.book()
                let table = book.inForce(on: date)
                let citation = try ItemCitation(item)
                let reference = try book.reference(for: citation, on: date)
                for (role, kind) in [("inquirer", inquirer), ("provider", provider)] {
                    switch book.lookupKind(kind) {
                    case .concrete: continue
                    case let .class(name, members):
                        throw ValidationError("--\(role) \(name) is a class, not a kind; give one of its kinds: \(members.joined(separator: ", "))")
                    case .unknown:
                        throw ValidationError(
                            "--\(role) \(kind) is not a kind of organisation in the rule tables; for example 市町村長, 都道府県知事, 厚生労働大臣, 日本年金機構, 全国健康保険協会, 健康保険組合, 後期高齢者医療広域連合"
                        )
                    }
                }
                guard let information = book.informationClass(named: info) else {
                    let known = table.informationClasses.map { "\($0.name) (\($0.abbreviation ?? "-"))" }.joined(separator: ", ")
                    throw ValidationError("--info \(info) is not an information class; known: \(known)")
                }
                switch book.check(
                    reference, citedIn: book.numbering(of: citation, on: date), on: date, inquirerKinds: [inquirer], providerKinds: [provider],
                    information: information)
                {
                case let .permitted(itemNumber, index):
                    let row = table.item(itemNumber)
                    let provision = row?.provisions[index]
                    print("PERMITTED")
                    print("\(reference.japanese) on \(date): \(row?.inquirers.joined(separator: "又は") ?? "") — \(row?.affair ?? "")")
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
        static let configuration = CommandConfiguration(abstract: "Print one item of a rule table, with its number in the other.")

        @OptionGroup var options: RuleOptions
        @Option(help: "The item: 42, 56-2, 2015:42 or 2024:69.") var item: String

        func run() async throws {
            do {
                let (book, date) = try options.book()
                let citation = try ItemCitation(item)
                let reference = try book.reference(for: citation, on: date)
                let numbering = book.numbering(of: citation, on: date)
                let table = numbering == .ordinance2024 ? book.ordinance2024 : book.beppyo2015
                guard let table, let number = reference.number(in: numbering), let row = table.item(number) else {
                    throw RenkeiError(.unknownItem, "\(reference.japanese) has no row in \(numbering.title)")
                }
                print(reference.japanese + (book.inForce(on: date).numbering == numbering ? " — in force on \(date)" : " — not in force on \(date)"))
                guard !row.deleted else {
                    print("削除 (deleted)")
                    return
                }
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
