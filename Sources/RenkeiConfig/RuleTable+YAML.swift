public import Foundation
public import RenkeiCore

extension RuleTable {
    private struct File: Decodable {
        struct Item: Decodable {
            let item: String
            let deleted: Bool?
            let inquirers: [String]?
            let affair: String?
            let provisions: [Provision]?
            let continues: [String]?
        }
        struct Provision: Decodable {
            let providers: [String]
            let information: [String]
        }
        struct InformationClass: Decodable {
            let name: String
            let abbreviation: String?
        }
        let classes: [String: [String]]?
        let information_classes: [InformationClass]?
        let items: [Item]
    }

    /// Loads a rule table from its YAML file (config/rules/beppyo2-2015.yaml, ordinance-2024.yaml).
    public static func load(from url: URL, numbering: RuleNumbering = .beppyo2015) throws(RenkeiError) -> RuleTable {
        let file = try YAMLFile.decode(File.self, at: url)
        var items = [RuleItem]()
        for (index, entry) in file.items.enumerated() {
            let number: ItemNumber
            do { number = try ItemNumber(entry.item) } catch {
                throw .config("\(url.path): items[\(index)]: \(error.message)")
            }
            if entry.deleted == true {
                items.append(RuleItem(number: number, deleted: true))
                continue
            }
            var continues = [ItemNumber]()
            for text in entry.continues ?? [] {
                do { continues.append(try ItemNumber(text)) } catch { throw .config("\(url.path): item \(entry.item): continues: \(error.message)") }
            }
            guard let inquirers = entry.inquirers, !inquirers.isEmpty, let provisions = entry.provisions, !provisions.isEmpty else {
                throw .config("\(url.path): item \(entry.item) needs inquirers and provisions, or deleted: true")
            }
            items.append(
                RuleItem(
                    number: number,
                    inquirers: inquirers,
                    affair: entry.affair ?? "",
                    provisions: provisions.map { RuleItem.Provision(providers: $0.providers, information: $0.information) },
                    continues: continues
                ))
        }
        let informationClasses = (file.information_classes ?? []).map { InformationClassName(name: $0.name, abbreviation: $0.abbreviation) }
        do {
            return try RuleTable(numbering: numbering, items: items, classes: file.classes ?? [:], informationClasses: informationClasses)
        } catch {
            throw .config("\(url.path): \(error.message)")
        }
    }
}
