public import Foundation

/// Polls `probe` (bounded, every 50 ms) until it gives a value: for an effect another task
/// makes — a timer's redelivery, a late provision — not a guess at how long it takes.
/// Returns nil when `seconds` passed without one.
public func eventually<T>(within seconds: Double = 30, _ probe: () async throws -> T?) async throws -> T? {
    let end = Date().addingTimeInterval(seconds)
    while true {
        if let value = try await probe() { return value }
        guard Date() < end else { return nil }
        try await Task.sleep(for: .milliseconds(50))
    }
}
