import Foundation

/// glibc's malloc keeps a cache of freed blocks per thread, seven of each size by default; past
/// that a free goes back to the shared arena under its lock, and the next malloc of that size
/// takes it from there. The inquiry path allocates and frees many small blocks on each of a
/// handful of threads (event loops, store writers), so the arena's lock and consolidation took
/// a tenth of the CPU. With room for a thousand per size, `renkei load --embedded
/// --concurrency 256` ran 22–26 % faster in two alternating pairs (1,239 and 1,292 /s against
/// 982 and 1,061 /s; 2026-12-03, docs/PERFORMANCE.md).
///
/// glibc reads its tunables once, when the process starts, from `GLIBC_TUNABLES`; there is no
/// call to change them later. So renkei executes itself again, once, with the tunable added.
enum AllocatorTuning {
    static let tunable = "glibc.malloc.tcache_count"
    static let cachedPerSize = 1000

    /// Execs this binary again with the tunable in `GLIBC_TUNABLES`, unless the variable
    /// already names it (an operator's own value is kept: `glibc.malloc.tcache_count=7` is
    /// glibc's default). The process keeps its pid and arguments. If the exec fails (no
    /// /proc), renkei goes on with glibc's defaults.
    static func applyByExecutingAgain() {
        #if os(Linux)
        let current = ProcessInfo.processInfo.environment["GLIBC_TUNABLES"] ?? ""
        guard !current.contains(tunable) else { return }
        let extended = (current.isEmpty ? "" : current + ":") + "\(tunable)=\(cachedPerSize)"
        guard setenv("GLIBC_TUNABLES", extended, 1) == 0 else { return }
        // The binary's own path, not /proc/self/exe: the kernel names a process after the file it
        // executes, and `ps`, `top` and `pgrep renkei` would show it as "exe".
        let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "/proc/self/exe"
        execv(binary, CommandLine.unsafeArgv)
        // Only reached when the exec failed: run on as we are, without the variable.
        if current.isEmpty { unsetenv("GLIBC_TUNABLES") } else { setenv("GLIBC_TUNABLES", current, 1) }
        #endif
    }

    /// What the allocator was started with, for reports: the tunables glibc read.
    static var described: String {
        ProcessInfo.processInfo.environment["GLIBC_TUNABLES"].map { "GLIBC_TUNABLES=\($0)" } ?? "glibc's defaults"
    }
}
