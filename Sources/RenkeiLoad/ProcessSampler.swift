import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Samples a process and its children (a `renkei up` and its node processes) once a second
/// from /proc: resident memory, and CPU time so that a run can say what one operation costs in
/// CPU, a figure the machine's noise moves much less than throughput.
public final class ProcessSampler: Sendable {
    public let pid: Int32
    private struct Samples {
        var residentBytes: [Int] = []
        var cpuSeconds: [Double] = []
        var completed: [Int] = []
    }
    private let samples = Mutex(Samples())

    public init(pid: Int32) { self.pid = pid }

    /// Call once per measured second with what completed in it.
    public func sample(completed: Int) {
        let family = [pid] + Self.children(of: pid)
        let memory = Self.sum(family.map(Self.residentBytes))
        let cpu = Self.sum(family.map(Self.cpuSeconds))
        samples.withLock { samples in
            if let memory { samples.residentBytes.append(memory) }
            if let cpu {
                samples.cpuSeconds.append(cpu)
                samples.completed.append(completed)
            }
        }
    }

    public var residentBytes: [Int] { samples.withLock { $0.residentBytes } }

    /// CPU microseconds per completed operation between the first and the last sample.
    public var cpuMicrosPerOperation: Double? {
        samples.withLock { samples in
            guard samples.cpuSeconds.count >= 2, let first = samples.cpuSeconds.first, let last = samples.cpuSeconds.last else { return nil }
            let operations = samples.completed.dropFirst().reduce(0, +)
            guard operations > 0 else { return nil }
            return (last - first) * 1_000_000 / Double(operations)
        }
    }

    /// The total, or nil when the first (the process itself) could not be read.
    static func sum<Value: AdditiveArithmetic>(_ values: [Value?]) -> Value? {
        guard let first = values.first, let first else { return nil }
        return values.dropFirst().reduce(first) { $0 + ($1 ?? .zero) }
    }

    /// The processes whose parent is `pid`: from its threads' `children` files, which the
    /// kernel keeps (one read per thread, where a scan of /proc reads a file of every process on
    /// the machine, each second); from the scan where those files are missing.
    public static func children(of pid: Int32) -> [Int32] {
        let tasks = "/proc/\(pid)/task"
        if let threads = try? FileManager.default.contentsOfDirectory(atPath: tasks),
            FileManager.default.fileExists(atPath: "\(tasks)/\(pid)/children")
        {
            var children = Set<Int32>()
            for thread in threads {
                guard let text = try? String(contentsOfFile: "\(tasks)/\(thread)/children", encoding: .utf8) else { continue }
                children.formUnion(text.split(separator: " ").compactMap { Int32($0) })
            }
            return children.sorted()
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let child = Int32(entry), let parent = parent(of: child), parent == pid else { return nil }
            return child
        }
    }

    static func parent(of pid: Int32) -> Int32? {
        guard let fields = statFields(pid), fields.count > 1 else { return nil }
        return Int32(fields[1])
    }

    /// The fields of /proc/PID/stat after the command name (which may hold spaces): state first.
    static func statFields(_ pid: Int32) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    static func residentBytes(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8),
            let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// utime + stime of the process, in seconds.
    static func cpuSeconds(_ pid: Int32) -> Double? {
        // State is field 3, utime 14, stime 15.
        guard let fields = statFields(pid), fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
