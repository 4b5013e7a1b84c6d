import Crypto
import Foundation
import RenkeiCore
import RenkeiStore
import RenkeiTestSupport
import Testing

func scratchFile(_ name: String) throws -> URL {
    try scratchDirectory("store").appendingPathComponent(name)
}

func event(_ index: Int) -> AuditEvent {
    AuditEvent(kind: .inquiry, at: 1_700_000_000_000_000 + Int64(index), actor: "ms-municipal", detail: "R\(index) provided")
}

func record(_ index: Int, requestedAt: Int64 = 1_700_000_000_000_000) throws -> ProvisionRecord {
    ProvisionRecord(
        party: .network, receptionNumber: try ReceptionNumber("R\(index)"), inquirer: try OrganizationCode("0101213100000000"),
        provider: try OrganizationCode("0101100200000000"), item: ItemReference(legacy: try ItemNumber("42"), ordinance: try ItemNumber("69")),
        procedure: try ProcedureCode("JT90420000000001"),
        informationCodes: [try InformationCode("TM00000000000002")], requestedAt: requestedAt + Int64(index),
        providedAt: requestedAt + Int64(index) + 10,
        outcome: .provided, errorCode: nil, inquirerNondisclosure: false, providerNondisclosure: index % 10 == 0,
        linkCode: try LinkCode("code\(index % 7)"), providerLinkCode: nil
    )
}

/// Edits a copy of a store's file the way an attacker with file access would: without the
/// append-only triggers (every trigger is dropped first).
func tamper(_ url: URL, _ sql: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try requireTool("python3"))
    process.arguments = [
        "-c",
        """
        import sqlite3, sys
        db = sqlite3.connect(sys.argv[1])
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            db.execute("DROP TRIGGER " + name)
        db.executescript(sys.argv[2])
        db.commit()
        """, url.path, sql,
    ]
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw RenkeiError(.internalError, "tampering failed: \(message)") }
}
