import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

@main
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

    /// Runs every task on NIO's event loops: the nodes' handlers then need no hop between
    /// Swift Concurrency's pool and the event loop that owns their connection.
    static func main() async {
        // Every file renkei makes holds keys, 個人番号 or their records: owner-only from the first
        // byte (SQLite makes its database, -wal and -shm files 0644 less the umask).
        umask(0o077)
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await main(nil)
    }
}
