public import RenkeiCore

/// A fault the tester injects into the linkage, to see how a business system copes.
public struct Fault: Sendable, Hashable, Identifiable {
    public enum Latency: Sendable, Hashable {
        case fixed(milliseconds: Int)
        case uniform(minimum: Int, maximum: Int)
        case exponential(meanMilliseconds: Int)

        func sample() -> Int {
            switch self {
            case let .fixed(milliseconds): return milliseconds
            case let .uniform(minimum, maximum): return Int.random(in: minimum...max(minimum, maximum))
            case let .exponential(mean):
                let u = Double.random(in: Double.ulpOfOne..<1)
                return Int(-Double(mean) * _log(u))
            }
        }
    }

    public enum Kind: Sendable, Hashable {
        /// Answers late.
        case latency(Latency)
        /// Answers with this error.
        case error(ErrorCode, String)
        /// Does not answer at all: the caller's deadline passes (provider offline).
        case offline
        /// The inquirer's tenant behaves as if it held no 符号 for the person.
        case linkCodeMissing
        /// The target's certificate is treated as expired: whatever it sends is refused.
        case expiredCertificate
    }

    /// What the fault applies to. A node name targets every request a node serves; a tenant
    /// (organisation id) and a TM code narrow it to provisions (or, for 符号未取得, inquiries)
    /// of that tenant and that 特定個人情報.
    public struct Target: Sendable, Hashable {
        public var node: String?
        public var tenant: String?
        public var information: InformationCode?

        public init(node: String? = nil, tenant: String? = nil, information: InformationCode? = nil) {
            self.node = node
            self.tenant = tenant
            self.information = information
        }
    }

    public let id: String
    public let kind: Kind
    public let target: Target
    /// The chance that a matching request is affected (0 < p ≤ 1).
    public let probability: Double
    /// How many more requests it affects; nil for no limit.
    public var remaining: Int?

    public init(id: String, kind: Kind, target: Target, probability: Double = 1, remaining: Int? = nil) {
        self.id = id
        self.kind = kind
        self.target = target
        self.probability = probability
        self.remaining = remaining
    }
}

private func _log(_ value: Double) -> Double {
    // ln(x) for x in (0, 1), without Foundation: the series of 2·artanh((x−1)/(x+1)).
    var exponent = 0.0
    var mantissa = value
    while mantissa < 0.5 {
        mantissa *= 2
        exponent -= 1
    }
    let y = (mantissa - 1) / (mantissa + 1)
    var term = y
    var sum = 0.0
    var n = 1.0
    for _ in 0..<40 {
        sum += term / n
        term *= y * y
        n += 2
    }
    return 2 * sum + exponent * 0.693_147_180_559_945_3
}
