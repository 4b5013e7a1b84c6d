public import Foundation
public import RenkeiCore

extension InformationCatalogue {
    private struct File: Decodable {
        struct Item: Decodable {
            let code: String
            let name: String
            let required: Bool?
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
                    dataSets: entry.data_sets.map { set in
                        DataSetSpec(
                            id: set.id, name: set.name, items: set.items.map { ItemSpec(code: $0.code, name: $0.name, required: $0.required ?? true) }
                        )
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
