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

    public init(seed: UInt64, referenceDate: CivilDate, cities: [City], moves: [Move], linkCodePendingEvery: Int = 25) {
        self.seed = seed
        self.referenceDate = referenceDate
        self.cities = cities
        self.moves = moves
        self.linkCodePendingEvery = linkCodePendingEvery
    }
}
