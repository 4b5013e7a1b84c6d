public import Foundation
import RenkeiConfig
public import RenkeiCore

/// What share of a load run each kind of traffic is (config/load/*.yaml).
public struct LoadMix: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Decodable {
        case inquiry
        case update
        case batch
        case manual
    }

    public enum People: String, Sendable, Hashable, Decodable {
        case movers
        case residents
        case pending
        case insured
    }

    public struct Operation: Sendable, Hashable, Decodable {
        public let name: String
        public let weight: Double
        public let kind: Kind
        public let system: String
        public let item: String?
        public let provider: String?
        public let information: String?
        public let people: People?
        public let expect: String?
        public let rows: Int?
        /// The operator: the ユーザID of a member of the system's 機関's staff (config/staff.yaml).
        public let user: String?

        public init(
            name: String, weight: Double, kind: Kind, system: String, item: String? = nil, provider: String? = nil, information: String? = nil,
            people: People? = nil, expect: String? = nil, rows: Int? = nil, user: String? = nil
        ) {
            self.name = name
            self.weight = weight
            self.kind = kind
            self.system = system
            self.item = item
            self.provider = provider
            self.information = information
            self.people = people
            self.expect = expect
            self.rows = rows
            self.user = user
        }
    }

    private struct File: Decodable {
        let operations: [Operation]
    }

    public let operations: [Operation]

    public init(operations: [Operation]) throws(RenkeiError) {
        let active = operations.filter { $0.weight > 0 }
        guard !active.isEmpty else { throw RenkeiError(.invalidConfiguration, "the load mix has no operation with a weight above 0") }
        for operation in active {
            guard operation.weight.isFinite, operation.weight <= 1_000_000 else {
                throw RenkeiError(.invalidConfiguration, "\(operation.name): the weight must be a number from 0 to 1,000,000")
            }
            switch operation.kind {
            case .inquiry, .manual:
                guard operation.item != nil, operation.provider != nil, operation.information != nil, operation.people != nil else {
                    throw RenkeiError(.invalidConfiguration, "\(operation.name): an inquiry needs item, provider, information and people")
                }
            case .update:
                guard operation.information != nil else { throw RenkeiError(.invalidConfiguration, "\(operation.name): an update needs information") }
            case .batch:
                guard let rows = operation.rows, (1...10_000).contains(rows) else {
                    throw RenkeiError(.invalidConfiguration, "\(operation.name): a batch needs rows, 1 to 10,000")
                }
            }
        }
        self.operations = active
    }

    public static func load(from url: URL) throws(RenkeiError) -> LoadMix {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw RenkeiError(.invalidConfiguration, "cannot read the load mix \(url.path): \(error.localizedDescription)")
        }
        return try parse(yaml: text, source: url.path)
    }

    /// A load mix from YAML text; `source` names it in errors.
    public static func parse(yaml text: String, source: String = "the load mix") throws(RenkeiError) -> LoadMix {
        try LoadMix(operations: try YAMLFile.decode(File.self, text: text, source: source).operations)
    }

    /// Picks operations in proportion to their weights, from a uniform number in [0, 1).
    public func pick(_ uniform: Double) -> Operation {
        let total = operations.reduce(0) { $0 + $1.weight }
        var threshold = uniform * total
        for operation in operations {
            threshold -= operation.weight
            if threshold < 0 { return operation }
        }
        return operations[operations.count - 1]
    }
}
