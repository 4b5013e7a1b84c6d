import Crypto
import Foundation
import RenkeiCore

/// The console's live sessions, by the digest of their cookie: the one place they are kept.
/// A session ends at sign-out, or after `idle` without a request.
actor ConsoleSessions {
    private var sessions: [String: ConsoleSession] = [:]
    private let idleMicros: Int64
    private let clock: @Sendable () -> Int64
    /// No more than this many live sessions; the oldest idle one goes first.
    static let limit = 10_000

    init(idle: Duration, clock: @escaping @Sendable () -> Int64) {
        idleMicros = idle.components.seconds * 1_000_000
        self.clock = clock
    }

    /// A new session for `session`'s account; returns the cookie value (32 random bytes).
    func open(_ session: ConsoleSession) -> String {
        let id = Self.randomToken()
        let now = clock()
        if sessions.count >= Self.limit {
            sessions = sessions.filter { now - $0.value.lastSeenMicros < idleMicros }
            if sessions.count >= Self.limit, let oldest = sessions.min(by: { $0.value.lastSeenMicros < $1.value.lastSeenMicros }) {
                sessions.removeValue(forKey: oldest.key)
            }
        }
        var session = session
        session.lastSeenMicros = now
        sessions[Self.digest(id)] = session
        return id
    }

    /// The live session of a cookie value, its idle time restarted; nil for an unknown or idle one.
    func session(_ id: String) -> ConsoleSession? {
        let key = Self.digest(id)
        let now = clock()
        guard var session = sessions[key] else { return nil }
        guard now - session.lastSeenMicros < idleMicros else {
            sessions.removeValue(forKey: key)
            return nil
        }
        session.lastSeenMicros = now
        sessions[key] = session
        return session
    }

    func close(_ id: String) -> ConsoleSession? { sessions.removeValue(forKey: Self.digest(id)) }

    /// Everyone signed in now, for the trainer's page.
    func live() -> [ConsoleSession] {
        let now = clock()
        return sessions.values.filter { now - $0.lastSeenMicros < idleMicros }.sorted { $0.identity < $1.identity }
    }

    static func randomToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
    }

    /// Only digests are kept, so a copy of the memory does not hand out sessions.
    static func digest(_ id: String) -> String {
        SHA256.hash(data: Data(id.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
