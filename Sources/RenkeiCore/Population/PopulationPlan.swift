/// What to generate: cities with their residents, who moved where, and the seed.
public struct PopulationPlan: Sendable, Hashable {
    public struct City: Sendable, Hashable {
        public let id: String
        /// The name as written in an address: 苫小牧市.
        public let name: String
        public let prefecture: String
        public let residents: Int
        public let towns: [String]

        public init(id: String, name: String, prefecture: String, residents: Int, towns: [String]) {
            self.id = id
            self.name = name
            self.prefecture = prefecture
            self.residents = residents
            self.towns = towns
        }
    }

    /// A share of `to`'s residents lived in `from` a year ago.
    public struct Move: Sendable, Hashable {
        public let from: String
        public let to: String
        public let share: Double
        public init(from: String, to: String, share: Double) {
            self.from = from
            self.to = to
            self.share = share
        }
    }

    public var seed: UInt64
    /// The day the population describes; fiscal years of the 副本 follow from it.
    public var referenceDate: CivilDate
    public var cities: [City]
    public var moves: [Move]
    /// Every n-th person of a register has no 符号 yet (符号未取得), so the error can be tried.
    public var linkCodePendingEvery: Int

    /// The same plan with `persons` people in all, shared among the cities as before, and
    /// optionally only some of the cities.
    public func scaled(toPersons persons: Int, cities only: [String]? = nil) -> PopulationPlan {
        var copy = self
        let kept = cities.filter { only?.contains($0.id) ?? true }
        let total = max(kept.reduce(0) { $0 + $1.residents }, 1)
        var assigned = 0
        copy.cities = kept.enumerated().map { index, city in
            let share = index == kept.count - 1 ? persons - assigned : persons * city.residents / total
            assigned += share
            return City(id: city.id, name: city.name, prefecture: city.prefecture, residents: max(share, 0), towns: city.towns)
        }
        copy.moves = moves.filter { move in copy.cities.contains { $0.id == move.from } && copy.cities.contains { $0.id == move.to } }
        return copy
    }

    public var persons: Int { cities.reduce(0) { $0 + $1.residents } }

    public init(seed: UInt64, referenceDate: CivilDate, cities: [City], moves: [Move], linkCodePendingEvery: Int = 25) {
        self.seed = seed
        self.referenceDate = referenceDate
        self.cities = cities
        self.moves = moves
        self.linkCodePendingEvery = linkCodePendingEvery
    }
}
