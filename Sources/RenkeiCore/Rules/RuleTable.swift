/// One table of who may ask whom for what (別表第二, or the 2024 ordinance's), checkable: the
/// rows, the classes that stand for several kinds of organisation, and the information classes.
///
/// Expansion of classes to concrete kinds is done once, at construction, so a check is a
/// dictionary lookup and a few set probes.
public struct RuleTable: Sendable {
    public enum KindLookup: Sendable, Equatable {
        case concrete(String)
        case `class`(String, members: [String])
        case unknown
    }

    private struct CompiledItem: Sendable {
        let item: RuleItem
        let inquirerKinds: Set<String>
        let provisions: [(kinds: Set<String>, information: Set<String>)]
    }

    public let numbering: RuleNumbering
    public let items: [RuleItem]
    public let classes: [String: [String]]
    public let informationClasses: [InformationClassName]
    public let concreteKinds: Set<String>
    private let compiled: [ItemNumber: CompiledItem]
    private let informationByKey: [String: String]

    public init(
        numbering: RuleNumbering = .beppyo2015, items: [RuleItem], classes: [String: [String]], informationClasses: [InformationClassName]
    ) throws(RenkeiError) {
        self.numbering = numbering
        self.items = items.sorted { $0.number < $1.number }
        self.classes = classes
        self.informationClasses = informationClasses

        var expandedClasses = [String: Set<String>]()
        for name in classes.keys {
            expandedClasses[name] = try Self.expand(name, classes: classes, trail: [])
        }
        var concrete = Set<String>()
        var compiled = [ItemNumber: CompiledItem]()
        func kinds(_ names: [String]) -> Set<String> {
            var result = Set<String>()
            for name in names {
                if let members = expandedClasses[name] { result.formUnion(members) } else { result.insert(name) }
            }
            return result
        }
        for item in items {
            guard compiled[item.number] == nil else {
                throw RenkeiError(.invalidRequest, "\(numbering.name(item.number)) appears twice in the rule table")
            }
            let inquirers = kinds(item.inquirers)
            let provisions = item.provisions.map { (kinds: kinds($0.providers), information: Set($0.information)) }
            concrete.formUnion(inquirers)
            provisions.forEach { concrete.formUnion($0.kinds) }
            compiled[item.number] = CompiledItem(item: item, inquirerKinds: inquirers, provisions: provisions)
        }
        for members in expandedClasses.values { concrete.formUnion(members) }
        self.concreteKinds = concrete
        self.compiled = compiled

        var byKey = [String: String]()
        for info in informationClasses {
            byKey[info.name] = info.name
            if let abbreviation = info.abbreviation { byKey[abbreviation.uppercased()] = info.name }
        }
        for item in items {
            for provision in item.provisions {
                for info in provision.information where byKey[info] == nil { byKey[info] = info }
            }
        }
        self.informationByKey = byKey
    }

    private static func expand(_ name: String, classes: [String: [String]], trail: [String]) throws(RenkeiError) -> Set<String> {
        guard !trail.contains(name) else {
            throw RenkeiError(.invalidRequest, "rule classes refer to each other in a loop: \((trail + [name]).joined(separator: " → "))")
        }
        guard let members = classes[name] else { return [name] }
        var result = Set<String>()
        for member in members { result.formUnion(try expand(member, classes: classes, trail: trail + [name])) }
        return result
    }

    public func item(_ number: ItemNumber) -> RuleItem? { compiled[number]?.item }

    /// Whether `name` is a concrete kind, a class, or neither.
    public func lookupKind(_ name: String) -> KindLookup {
        if let members = classes[name] { return .class(name, members: members) }
        if concreteKinds.contains(name) { return .concrete(name) }
        return .unknown
    }

    /// The information class a name or an abbreviation (TAX, IRYO …) stands for.
    public func informationClass(named key: String) -> String? {
        informationByKey[key] ?? informationByKey[key.uppercased()]
    }

    /// Checks one request. An organisation may have several kinds (a city is 市町村長 and,
    /// through that, a 医療保険者); the request is permitted when any pairing is.
    public func check(item number: ItemNumber, inquirerKinds: Set<String>, providerKinds: Set<String>, information: String) -> RuleDecision {
        guard let entry = compiled[number] else {
            return .denied(RenkeiError(.unknownItem, "\(numbering.title) has no \(number.japanese); \(span)"), field: .item)
        }
        let item = entry.item
        if item.deleted {
            return .denied(RenkeiError(.itemDeleted, "\(numbering.name(number)) is deleted (削除); no inquiry can be made under it"), field: .item)
        }
        guard !entry.inquirerKinds.isDisjoint(with: inquirerKinds) else {
            return .denied(
                RenkeiError(
                    .ruleNotPermitted,
                    "\(numbering.name(number)) (\(item.affair)): the 情報照会者 must be \(item.inquirers.joined(separator: "又は")); \(Self.list(inquirerKinds)) is not"
                ), field: .inquirer)
        }
        for (index, provision) in entry.provisions.enumerated()
        where provision.information.contains(information) && !provision.kinds.isDisjoint(with: providerKinds) {
            return .permitted(item: number, provisionIndex: index)
        }
        let offered = item.provisions.map { "\($0.providers.joined(separator: ", ")) → \($0.information.joined(separator: ", "))" }
        let nearMiss: String
        let field: RuleDecision.Field
        if entry.provisions.contains(where: { !$0.kinds.isDisjoint(with: providerKinds) }) {
            nearMiss = "\(Self.list(providerKinds)) is a provider under this item, but not of \(information)"
            field = .information
        } else if entry.provisions.contains(where: { $0.information.contains(information) }) {
            nearMiss = "\(information) is provided under this item, but not by \(Self.list(providerKinds))"
            field = .provider
        } else {
            nearMiss = "\(Self.list(providerKinds)) may not be asked for \(information) under this item"
            field = .provider
        }
        return .denied(
            RenkeiError(
                .ruleNotPermitted,
                "\(numbering.name(number)) (\(item.affair)): \(nearMiss). It permits: \(offered.joined(separator: "; "))"
            ), field: field)
    }

    /// The items under which this inquirer may ask this provider for this information: what a
    /// denied request would have needed (the journal's near miss).
    public func itemsPermitting(inquirerKinds: Set<String>, providerKinds: Set<String>, information: String) -> [ItemNumber] {
        compiled.filter { _, entry in
            !entry.item.deleted && !entry.inquirerKinds.isDisjoint(with: inquirerKinds)
                && entry.provisions.contains { $0.information.contains(information) && !$0.kinds.isDisjoint(with: providerKinds) }
        }.map(\.key).sorted()
    }

    /// "items run from 1 to 120 (with 56-2)": what a caller citing an unknown number needs.
    public var span: String {
        guard let first = items.first, let last = items.last else { return "it has no items" }
        let branches = items.filter { $0.number.branch != 0 }.map(\.number.description)
        return "items run from \(first.number) to \(last.number.number)" + (branches.isEmpty ? "" : " (with \(branches.joined(separator: ", ")))")
    }

    private static func list(_ kinds: Set<String>) -> String {
        kinds.isEmpty ? "(no kind)" : kinds.sorted().joined(separator: "/")
    }
}
