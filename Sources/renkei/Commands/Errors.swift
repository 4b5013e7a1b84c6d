import ArgumentParser
import RenkeiCore

/// The error catalogue on the command line: what each code means and what to do.
struct Errors: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every error code with its HTTP status, exit status, meaning and what to do.",
        discussion: "`renkei errors --markdown > docs/ERRORS.md` regenerates the catalogue in the documents."
    )

    @Flag(help: "Write docs/ERRORS.md (a Markdown table) instead of one block per code.")
    var markdown = false

    @Argument(help: "Show only this code, e.g. RULE_NOT_PERMITTED.")
    var code: String?

    func run() async throws {
        let catalogue = ErrorCatalogue.renkei
        if markdown {
            print(catalogue.markdown(), terminator: "")
            return
        }
        var entries = catalogue.entries
        if let code {
            guard let entry = catalogue.entry(ErrorCode(rawValue: code.uppercased())) else {
                throw fail(RenkeiError(.usage, "no error code \(code); renkei errors lists them all"))
            }
            entries = [entry]
        }
        for entry in entries {
            print("\(entry.code.rawValue)  (\(entry.kind.rawValue), HTTP \(entry.httpStatus), exit \(entry.kind.exitStatus))")
            print("  \(entry.meaning)")
            print("  What to do: \(entry.remedy)")
        }
    }
}
