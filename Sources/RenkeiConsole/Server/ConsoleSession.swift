import RenkeiConfig
import RenkeiCore

/// One signed-in member of staff, as the console keeps them between requests.
struct ConsoleSession: Sendable, Hashable {
    /// The 機関 (topology id) and the account.
    let organization: Organization
    let userID: String
    let name: String
    let department: String
    /// The business systems (事務) this account works on: what the console may do for them.
    let systems: [String]
    /// May see every trainee, reset exercises and the network, inject faults.
    let isTrainer: Bool
    /// The tenant's session token: every request the console makes for them carries it, so
    /// the nodes attribute it to this member of staff.
    let token: String
    /// Sent back with every form; a form without it is refused (cross-site request forgery).
    let csrfToken: String
    var lastSeenMicros: Int64

    /// How the journal and the audit log name this person.
    var identity: String { "\(organization.id)/\(userID)" }
}
