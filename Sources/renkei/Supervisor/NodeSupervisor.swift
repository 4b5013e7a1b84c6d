import Foundation
import RenkeiCore

#if canImport(Glibc)
import Glibc
#endif

/// One `renkei node` process per node: started in order (the witness first, since every other
/// node checks its log against it at start), watched, restarted with back-off when one ends
/// on its own, and stopped together. The state of the running children lives here only.
actor NodeSupervisor {
    /// How one node is started: the arguments of its `renkei node`.
    struct Launch: Sendable {
        let name: String
        let arguments: [String]
    }

    /// When to restart a node that ended: after 0.5 s, doubling to 30 s while it keeps failing;
    /// a node that served for a minute starts again from 0.5 s.
    struct BackOff: Sendable {
        var first: Duration = .milliseconds(500)
        var longest: Duration = .seconds(30)
        var stable: Duration = .seconds(60)

        func delay(afterFailures failures: Int) -> Duration {
            var delay = first
            for _ in 1..<max(failures, 1) where delay < longest { delay *= 2 }
            return min(delay, longest)
        }
    }

    private struct Running {
        let child: ChildProcess
        let started: ContinuousClock.Instant
        var failures: Int
    }

    private let executable: URL
    private let backOff: BackOff
    private let report: @Sendable (String) -> Void
    private var running = [String: Running]()
    private var order = [String]()
    private var stopping = false

    init(executable: URL, backOff: BackOff = BackOff(), report: @escaping @Sendable (String) -> Void) {
        self.executable = executable
        self.backOff = backOff
        self.report = report
    }

    /// Starts `first` (each waited for in turn), then `rest` together; returns the lines each
    /// printed before `ready`, by node. If one ends before it is ready, the others are stopped
    /// and the refusal names it and its exit status.
    func start(first: [Launch], rest: [Launch], progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws(RenkeiError) -> [String: [String]]
    {
        var printed = [String: [String]]()
        let total = first.count + rest.count
        do throws(RenkeiError) {
            for launch in first {
                printed[launch.name] = try await launchUntilReady(launch, failures: 0)
                progress(printed.count, total)
            }
            let done = printed.count
            let started = await withTaskGroup(of: Started.self) { group in
                for launch in rest { group.addTask { await self.launchReporting(launch) } }
                var results = [Started]()
                for await result in group {
                    results.append(result)
                    progress(done + results.count, total)
                }
                return results
            }
            for result in started {
                if let error = result.error { throw error }
                printed[result.name] = result.lines
            }
        } catch {
            await stop()
            throw error
        }
        return printed
    }

    /// Stops every node, the witness last (the others stamp a last checkpoint as they stop):
    /// SIGTERM, then SIGKILL for one still running after 30 s.
    func stop() async {
        stopping = true
        let names = order.reversed()
        for name in names {
            guard let entry = running[name] else { continue }
            entry.child.signal(SIGTERM)
            let child = entry.child
            let finished = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    _ = await child.status()
                    return true
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(30))
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            if !finished {
                report("killed           \(name) (it did not stop within 30 s of SIGTERM)")
                child.signal(SIGKILL)
            }
            running[name] = nil
        }
    }

    /// One node's start, as a value: a typed-throws Result carried out of a task group's child
    /// task was destroyed twice in release builds of Swift 6.3 (a crash in
    /// TaskGroup.awaitAllRemainingTasks), so the error travels as an optional instead.
    private struct Started: Sendable {
        let name: String
        var lines: [String] = []
        var error: RenkeiError?
    }

    private func launchReporting(_ launch: Launch) async -> Started {
        do throws(RenkeiError) {
            return Started(name: launch.name, lines: try await launchUntilReady(launch, failures: 0))
        } catch {
            return Started(name: launch.name, error: error)
        }
    }

    private func launchUntilReady(_ launch: Launch, failures: Int) async throws(RenkeiError) -> [String] {
        let child: ChildProcess
        do { child = try ChildProcess(executable: executable, arguments: launch.arguments) } catch {
            throw RenkeiError(.unavailable, "cannot start the process of node \(launch.name) (\(executable.path)): \(error)")
        }
        if !order.contains(launch.name) { order.append(launch.name) }
        running[launch.name] = Running(child: child, started: .now, failures: failures)
        var lines = [String]()
        var ready = false
        for await line in child.lines {
            if line == "ready" {
                ready = true
                break
            }
            lines.append(line)
        }
        guard ready else {
            let status = await child.status()
            running[launch.name] = nil
            throw RenkeiError(
                .unavailable, "node \(launch.name) stopped before it was ready (exit status \(status)); its error is above")
        }
        Task { await self.watch(launch, child: child) }
        return lines
    }

    /// Waits for the node to end; unless we are stopping, reports it and starts it again, with
    /// longer waits while it keeps failing.
    private func watch(_ launch: Launch, child: ChildProcess) async {
        // Its later output (nothing is printed after ready today) is read so the pipe never fills.
        let drain = Task { for await _ in child.lines {} }
        let status = await child.status()
        drain.cancel()
        guard !stopping, let entry = running[launch.name], entry.child === child else { return }
        running[launch.name] = nil
        var failures = ContinuousClock.now - entry.started >= backOff.stable ? 1 : entry.failures + 1
        var delay = backOff.delay(afterFailures: failures)
        report("exited           \(launch.name) (exit status \(status)); restarting in \(Self.seconds(delay)) (failure \(failures))")
        while true {
            try? await Task.sleep(for: delay)
            guard !stopping else { return }
            do throws(RenkeiError) {
                _ = try await launchUntilReady(launch, failures: failures)
                report("restarted        \(launch.name)")
                return
            } catch {
                failures += 1
                delay = backOff.delay(afterFailures: failures)
                report("exited           \(launch.name) before it was ready again; restarting in \(Self.seconds(delay)) (failure \(failures))")
            }
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return "\(milliseconds / 1000).\(milliseconds % 1000 / 100) s"
    }
}
