public import Foundation
public import RenkeiCore

/// The staff file (config/staff.yaml): the accounts each 機関 starts with. They are seeded into
/// a tenant that has no account of that ユーザID; accounts changed or added later (`renkei staff`)
/// are the 機関's and stay as they are. No passwords here: `renkei staff reset-password` sets them.
public enum StaffFile {
    private struct File: Decodable {
        struct Account: Decodable {
            let organization: String
            let user_id: String
            let name: String?
            let department: String
            let systems: [String]
            let valid_from: String?
            let valid_until: String?
        }
        let accounts: [Account]
    }

    public static func load(from url: URL, topology: Topology) throws(RenkeiError) -> [Topology.SeededAccount] {
        let file = try YAMLFile.decode(File.self, at: url)
        guard file.accounts.count <= 10_000 else { throw .config("\(url.path): at most 10,000 accounts") }
        var seen = Set<String>()
        var accounts = [Topology.SeededAccount]()
        for (index, entry) in file.accounts.enumerated() {
            let at = "\(url.path): accounts[\(index)]"
            guard topology.organization(id: entry.organization) != nil else {
                throw .config("\(at): no organization \(entry.organization.excerpt(32)) in the topology")
            }
            do { try StaffAccount.validate(userID: entry.user_id) } catch { throw .config("\(at): \(error.message)") }
            guard seen.insert("\(entry.organization)/\(entry.user_id)").inserted else {
                throw .config("\(at): \(entry.organization) has two accounts \(entry.user_id)")
            }
            guard !entry.department.isEmpty, entry.department.utf8.count <= 20 else { throw .config("\(at): department is 1 to 20 characters") }
            for system in entry.systems {
                guard let spec = topology.businessSystem(id: system), spec.organization == entry.organization else {
                    throw .config("\(at): \(system.excerpt(40)) is not a business system of \(entry.organization)")
                }
            }
            for date in [entry.valid_from, entry.valid_until].compactMap({ $0 }) {
                do { _ = try CivilDate(date) } catch { throw .config("\(at): \(error.message)") }
            }
            accounts.append(
                Topology.SeededAccount(
                    organization: entry.organization,
                    account: StaffAccount(
                        userID: entry.user_id, name: entry.name ?? "", department: entry.department, systems: entry.systems,
                        validFrom: entry.valid_from, validUntil: entry.valid_until)))
        }
        return accounts
    }
}
