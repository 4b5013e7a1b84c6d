/// Decoding that refuses what the type does not know. Swift's synthesized `Decodable` ignores
/// keys it has no property for, so `"mod":"async"` or `permit_ttl_second:` would be read as if
/// absent; wrapped in `Strict`, any decoder (JSON, YAML) records the keys each object's decoder
/// asked for, and the keys it never asked for are refused with their path and the known keys.
///
/// `try decoder.decode(Strict<Body>.self, from: data).value` throws `StrictDecoding.UnknownKey`
/// for the first key no decoder asked for (and the decoder's own errors as before).
public struct Strict<Value: Decodable>: Decodable {
    public let value: Value

    public init(from decoder: any Decoder) throws {
        let log = StrictDecoding.Log()
        do {
            value = try Value(from: StrictDecoding.Wrapped(base: decoder, log: log))
        } catch let DecodingError.keyNotFound(key, context) {
            // `resident:` for `residents:` fails as a missing key first; the typo is the better sentence.
            if let typo = log.typo(for: key.stringValue, at: StrictDecoding.components(context.codingPath)) { throw typo }
            throw DecodingError.keyNotFound(key, context)
        }
        if let unknown = log.firstUnknown() { throw unknown }
    }
}

public enum StrictDecoding {
    /// An unknown key: its path (without the key), the key, and the keys the object knows.
    public struct UnknownKey: Error, Sendable, Hashable, CustomStringConvertible {
        public let path: [String]
        public let key: String
        public let known: [String]

        /// `population.cities[0]: unknown key "resident"; did you mean "residents"? Known keys: …`
        public var description: String {
            let at = path.isEmpty ? "" : StrictDecoding.pathText(path) + ": "
            let suggestion = StrictDecoding.nearest(to: key, in: known).map { " (did you mean \"\($0)\"?)" } ?? ""
            return "\(at)unknown key \"\(key.excerpt(64))\"\(suggestion); the known keys are \(known.joined(separator: ", "))"
        }
    }

    /// The path of a key, as `a.b[2].c`.
    public static func pathText(_ path: [String]) -> String {
        var text = ""
        for component in path {
            if component.hasPrefix("[") { text += component } else { text += (text.isEmpty ? "" : ".") + component }
        }
        return text
    }

    static func components(_ path: [any CodingKey]) -> [String] {
        path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
    }

    /// The known key closest to a typo (at most a third of its letters apart), or nil.
    public static func nearest(to key: String, in known: [String]) -> String? {
        let limit = max(1, key.count / 3)
        let scored = known.map { ($0, distance(key.lowercased(), $0.lowercased())) }.filter { $0.1 <= limit }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance, bounded to the short strings keys are.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.prefix(64)), b = Array(b.prefix(64))
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// What the wrapped containers saw. Decoding is synchronous and single-threaded, so a plain
    /// class shared by the containers of one decode is enough.
    final class Log {
        var trackers: [Tracker] = []

        /// The first key, in document order of the objects, that no decoder asked for.
        func firstUnknown() -> UnknownKey? {
            for tracker in trackers {
                if let key = tracker.present.first(where: { !tracker.asked.contains($0) }) {
                    return UnknownKey(path: tracker.path, key: key, known: tracker.asked.sorted())
                }
            }
            return nil
        }

        /// A key of the object at `path` that is a near miss of the missing key `missing`.
        func typo(for missing: String, at path: [String]) -> UnknownKey? {
            for tracker in trackers.reversed() where tracker.path == path {
                let unasked = tracker.present.filter { !tracker.asked.contains($0) }
                guard let near = unasked.first(where: { StrictDecoding.nearest(to: $0, in: [missing]) != nil }) else { return nil }
                return UnknownKey(path: path, key: near, known: (tracker.asked.union([missing])).sorted())
            }
            return nil
        }
    }

    struct AnyKey: CodingKey {
        let stringValue: String
        let intValue: Int?
        init(stringValue: String) { (self.stringValue, intValue) = (stringValue, nil) }
        init(intValue: Int) { (stringValue, self.intValue) = (String(intValue), intValue) }
    }

    /// The types a container decodes itself; everything else is decoded through a wrapped decoder
    /// so that its own keys are checked too.
    static func isPrimitive(_ type: Any.Type) -> Bool {
        type == String.self || type == Int.self || type == Int64.self || type == Int32.self || type == UInt64.self || type == UInt32.self
            || type == UInt8.self || type == Double.self || type == Float.self || type == Bool.self || type == UInt.self
    }

    struct Wrapped: Decoder {
        let base: any Decoder
        let log: Log
        var codingPath: [any CodingKey] { base.codingPath }
        var userInfo: [CodingUserInfoKey: Any] { base.userInfo }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            let present = try base.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
            let tracker = Tracker(path: StrictDecoding.components(base.codingPath), present: present)
            log.trackers.append(tracker)
            return KeyedDecodingContainer(Keyed(base: try base.container(keyedBy: Key.self), log: log, tracker: tracker))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer { Unkeyed(base: try base.unkeyedContainer(), log: log) }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { try base.singleValueContainer() }
    }

    /// The keys one object has and the keys its decoder asked for.
    final class Tracker {
        let path: [String]
        let present: [String]
        var asked: Set<String> = []

        init(path: [String], present: [String]) {
            self.path = path
            self.present = present
        }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let base: KeyedDecodingContainer<Key>
        let log: Log
        let tracker: Tracker
        var codingPath: [any CodingKey] { base.codingPath }
        var allKeys: [Key] { base.allKeys }

        func contains(_ key: Key) -> Bool {
            tracker.asked.insert(key.stringValue)
            return base.contains(key)
        }

        func decodeNil(forKey key: Key) throws -> Bool {
            tracker.asked.insert(key.stringValue)
            return try base.decodeNil(forKey: key)
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            tracker.asked.insert(key.stringValue)
            if StrictDecoding.isPrimitive(type) { return try base.decode(type, forKey: key) }
            return try T(from: Wrapped(base: try base.superDecoder(forKey: key), log: log))
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            tracker.asked.insert(key.stringValue)
            guard base.contains(key), try !base.decodeNil(forKey: key) else { return nil }
            return try decode(type, forKey: key)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            tracker.asked.insert(key.stringValue)
            return try Wrapped(base: try base.superDecoder(forKey: key), log: log).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            tracker.asked.insert(key.stringValue)
            return Unkeyed(base: try base.nestedUnkeyedContainer(forKey: key), log: log)
        }

        func superDecoder() throws -> any Decoder { Wrapped(base: try base.superDecoder(), log: log) }

        func superDecoder(forKey key: Key) throws -> any Decoder {
            tracker.asked.insert(key.stringValue)
            return Wrapped(base: try base.superDecoder(forKey: key), log: log)
        }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        var base: any UnkeyedDecodingContainer
        let log: Log
        var codingPath: [any CodingKey] { base.codingPath }
        var count: Int? { base.count }
        var isAtEnd: Bool { base.isAtEnd }
        var currentIndex: Int { base.currentIndex }

        mutating func decodeNil() throws -> Bool { try base.decodeNil() }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            if StrictDecoding.isPrimitive(type) { return try base.decode(type) }
            return try T(from: Wrapped(base: try base.superDecoder(), log: log))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try Wrapped(base: try base.superDecoder(), log: log).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            Unkeyed(base: try base.nestedUnkeyedContainer(), log: log)
        }

        mutating func superDecoder() throws -> any Decoder { Wrapped(base: try base.superDecoder(), log: log) }
    }
}
