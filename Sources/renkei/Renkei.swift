import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

struct Renkei: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renkei",
        abstract: "A simulation server for Japan's My Number information linkage (情報連携).",
        discussion: """
            Start a whole linkage network with `renkei up`, then make inquiries from a second \
            terminal with `renkei inquire`. Exit status: 0 success, 3 refused by the linkage \
            (a denial), 64 a usage error, 2 an audit log that does not verify, 1 any other \
            failure; `renkei errors` lists every error code with what to do.
            """,
        version: RenkeiVersion.line,
        subcommands: [
            Up.self, Node.self, Inquire.self, Load.self, Admin.self, Staff.self, Seed.self, Records.self, Audit.self, Population.self, Rules.self,
            Certs.self,
            Errors.self, TopologyCommand.self,
        ]
    )

}

/// The process's entry. Every task runs on NIO's event loops: the nodes' handlers then need no
/// hop between Swift Concurrency's pool and the event loop that owns their connection.
///
/// Synchronous, with the main thread waiting for the command: an `async` main parks the main
/// thread in `dispatch_main`, which valgrind 3.19 (Debian 12) cannot run (it crashes in
/// `_dispatch_sigsuspend`), and `scripts/instructions-per-inquiry.sh` runs renkei under it.
@main
enum RenkeiMain {
    static func main() {
        // First, before any thread starts: the allocator's settings are read at exec.
        AllocatorTuning.applyByExecutingAgain()
        // Every file renkei makes holds keys, 個人番号 or their records: owner-only from the first
        // byte (SQLite makes its database, -wal and -shm files 0644 less the umask).
        umask(0o077)
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let finished = DispatchSemaphore(value: 0)
        // Detached: a task started here would inherit the main actor, which only the main
        // thread (waiting just below) runs.
        Task.detached {
            await Renkei.main(nil)
            finished.signal()
        }
        finished.wait()
    }
}
