/// What `renkei --version` prints, and what load reports carry: the release and the commit.
enum RenkeiVersion {
    /// The release; raised with each round of issues.
    static let number = "0.11.0"
    /// The git commit the binary was built from (Plugins/BuildCommitPlugin), `-dirty` when
    /// tracked files differed from it, `unknown` outside a git checkout.
    static let commit = BuildCommit.id
    static var line: String { "renkei \(number) (commit \(commit))" }
}
