import Foundation
import NIOCore

extension Duration {
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// Unique, readable identifiers that stay unique across restarts: a prefix, the start time
/// of this process, a random part and a counter.
struct SerialMaker: Sendable {
    private let stem: String

    init(prefix: String, startedAt micros: Int64) {
        let random = UInt32.random(in: 0...UInt32.max)
        let hex = String(random, radix: 16, uppercase: true)
        stem = "\(prefix)\(micros / 1_000_000)\(String(repeating: "0", count: 8 - hex.count))\(hex)"
    }

    func make(_ counter: UInt64) -> String { "\(stem)\(counter)" }
}
