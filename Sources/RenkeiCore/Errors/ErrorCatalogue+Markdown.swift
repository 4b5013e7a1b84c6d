extension ErrorCatalogue {
    /// `docs/ERRORS.md`, as `renkei errors --markdown` writes it (a test keeps the file equal).
    public func markdown() -> String {
        var lines = [
            "# Error codes",
            "",
            "Every refusal and failure renkei gives carries one of these codes and a sentence that says what went wrong.",
            "The edges answer with the HTTP status below (JSON `{\"code\", \"message\"}`, the XML error answer, or the batch",
            "result row); the CLI prints `DENIED: CODE: sentence` and exits 3 for the linkage's refusals, and",
            "`error: CODE: sentence` on standard error with exit 64 for usage and 1 for the rest.",
            "A running edge serves this table as JSON at `GET /v1/errors`.",
            "",
            "This file is generated from `Sources/RenkeiCore/Errors/ErrorCatalogue+Entries.swift` by",
            "`renkei errors --markdown > docs/ERRORS.md`; a test fails when it differs or when a code has no entry.",
            "",
            "| code | kind | HTTP | exit | meaning | what to do |",
            "|---|---|---|---|---|---|",
        ]
        for entry in entries {
            let cells = [
                "`\(entry.code.rawValue)`", entry.kind.rawValue, String(entry.httpStatus), String(entry.kind.exitStatus), entry.meaning, entry.remedy,
            ]
            lines.append(
                "| " + cells.map { $0.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }.joined(separator: " | ")
                    + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
