public import Foundation
public import Testing

/// How many linkage networks the tests run at once. Swift Testing starts every test together;
/// on two cores fifty seven-node networks at once starved each other for longer than the
/// deadlines the tests ask with (CI saw 一括照会 rows and load runs time out). A network takes a
/// share; a test that measures the machine (a load run) takes all of them. Nested use in one
/// test (a console on a test network, a network restarted) takes no second share.
public actor TestCapacity {
    /// Twice the cores: a network spends much of its time waiting on fsync and the loopback,
    /// so two per core keep the machine busy without starving anyone.
    public static let shared = TestCapacity(shares: max(2, ProcessInfo.processInfo.activeProcessorCount * 2))

    /// How long a test may run once it holds its share. Swift Testing's `.timeLimit` also counts
    /// the wait for a share, and on two cores that wait can be most of a run: CI saw a test that
    /// takes 6 seconds alone exceed 5 minutes behind the others. So suites that take shares set
    /// `.queuedTimeLimit`, which only ends a run that never would, and this bound is what
    /// reports a test that hangs.
    public static let runningLimit: Duration = .seconds(300)

    @TaskLocal static var holding = false

    public let shares: Int
    private var free: Int
    private var waiting: [(shares: Int, resume: CheckedContinuation<Void, Never>)] = []

    init(shares: Int) {
        self.shares = shares
        free = shares
    }

    /// First come, first served: a test asking for the whole machine is not overtaken forever
    /// by ones asking for a share.
    func acquire(_ wanted: Int) async {
        if waiting.isEmpty, free >= wanted {
            free -= wanted
            return
        }
        await withCheckedContinuation { waiting.append((wanted, $0)) }
    }

    func release(_ given: Int) {
        free += given
        while let first = waiting.first, free >= first.shares {
            waiting.removeFirst()
            free -= first.shares
            first.resume.resume()
        }
    }
}

/// What a test takes of the machine.
public enum TestWeight: Sendable {
    /// One network or one `renkei up`.
    case network
    /// Everything: nothing else runs beside it (load runs that judge errors and CPU).
    case wholeMachine
}

/// Runs `body` once the machine has room for it, and gives the room back afterwards.
public func withTestCapacity<T>(
    _ weight: TestWeight = .network, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
) async throws -> T {
    if TestCapacity.holding { return try await body() }
    let capacity = TestCapacity.shared
    let wanted = weight == .wholeMachine ? capacity.shares : 1
    await capacity.acquire(wanted)
    // Unstructured, so it inherits the test's task-locals and the issue is the test's own.
    let watchdog = Task {
        try await Task.sleep(for: TestCapacity.runningLimit)
        Issue.record("ran longer than \(TestCapacity.runningLimit) once it held its share of the machine (the wait for the share is not counted)")
    }
    defer { watchdog.cancel() }
    do {
        let value = try await TestCapacity.$holding.withValue(true, operation: body, isolation: isolation)
        await capacity.release(wanted)
        return value
    } catch {
        await capacity.release(wanted)
        throw error
    }
}

/// A suite or test whose every test holds a share of the machine while it runs: for suites
/// that start `renkei up` as a child process, which `withTestNetwork` does not see.
public struct TestCapacityTrait: TestTrait, SuiteTrait, TestScoping {
    let weight: TestWeight

    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? { test.isSuite ? nil : self }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await withTestCapacity(weight, isolation: nil) { try await function() }
    }
}

extension Trait where Self == TestCapacityTrait {
    /// Each test holds one share of the machine (see `TestCapacity`).
    public static var networkShare: Self { TestCapacityTrait(weight: .network) }
    /// Each test runs with nothing else beside it.
    public static var wholeMachine: Self { TestCapacityTrait(weight: .wholeMachine) }
}

extension Trait where Self == TimeLimitTrait {
    /// The time limit of a suite whose tests wait for a share of the machine: long enough for
    /// any wait, so that only a run that never ends is cut off; `TestCapacity.runningLimit`
    /// bounds each test once it runs.
    public static var queuedTimeLimit: Self { .timeLimit(.minutes(20)) }
}
