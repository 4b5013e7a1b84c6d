public import Foundation
public import RenkeiCore

extension InformationCatalogue {
    private struct File: Decodable {
        struct Item: Decodable {
            let code: String
            let name: String
            let required: Bool?
            let format: String?
            let max_length: Int?
        }
        struct DataSet: Decodable {
            let id: String
            let name: String
            let items: [Item]
        }
        struct Information: Decodable {
            let code: String
            let name: String
            let `class`: String
            let verified: Bool?
            let data_sets: [DataSet]
        }
        struct Procedure: Decodable {
            let code: String
            let item: String
            let name: String
            let verified: Bool?
        }
        struct Codes: Decodable {
            let detail: String
            let information: String
        }
        let layout_version: String
        let information: [Information]
        let procedures: [Procedure]?
        let status_codes: [String: Codes]?
    }

    private static func itemSpec(_ item: File.Item, in information: String) throws(RenkeiError) -> ItemSpec {
        let formats = ItemFormat.allCases.map(\.rawValue).joined(separator: ", ")
        guard let format = ItemFormat(rawValue: item.format ?? "text") else {
            throw RenkeiError(.invalidConfiguration, "\(information) item \(item.code): format \"\(item.format ?? "")\" is not one of \(formats)")
        }
        if let limit = item.max_length, !(1...4_096).contains(limit) {
            throw RenkeiError(.invalidConfiguration, "\(information) item \(item.code): max_length must be 1 to 4096, not \(limit)")
        }
        return ItemSpec(code: item.code, name: item.name, required: item.required ?? true, format: format, maxLength: item.max_length)
    }

    /// Loads the layout catalogue (config/layout/catalogue.yaml).
    public static func load(from url: URL) throws(RenkeiError) -> InformationCatalogue {
        let file = try YAMLFile.decode(File.self, at: url)
        do {
            let information = try file.information.map { entry throws(RenkeiError) in
                InformationSpec(
                    code: try identifier(url, entry.code) as InformationCode,
                    name: entry.name,
                    informationClass: entry.class,
                    verified: entry.verified ?? false,
                    dataSets: try entry.data_sets.map { set throws(RenkeiError) in
                        DataSetSpec(
                            id: set.id, name: set.name, items: try set.items.map { item throws(RenkeiError) in try itemSpec(item, in: entry.code) })
                    }
                )
            }
            let procedures = try (file.procedures ?? []).map { entry throws(RenkeiError) in
                ProcedureSpec(
                    code: try identifier(url, entry.code) as ProcedureCode,
                    name: entry.name,
                    item: try ItemNumber(entry.item),
                    verified: entry.verified ?? false
                )
            }
            let codes = StatusCodeTable(
                entries: (file.status_codes ?? [:]).mapValues { StatusCodeTable.Codes(detail: $0.detail, information: $0.information) })
            return try InformationCatalogue(layoutVersion: file.layout_version, information: information, procedures: procedures, statusCodes: codes)
        } catch {
            throw .config("\(url.path): \(error.message)")
        }
    }
}

/// Runs an identifier constructor, turning its error into a configuration error that names the file.
func identifier<T: ValidatedIdentifier>(_ url: URL, _ text: String) throws(RenkeiError) -> T {
    do { return try T(text) } catch { throw .config("\(url.path): \(error.description)") }
}
