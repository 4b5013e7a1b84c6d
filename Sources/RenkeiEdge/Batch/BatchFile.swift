import RenkeiConfig
import RenkeiCore

/// 一括照会 files: header-less, comma-separated, each field padded to its fixed width, CRLF
/// (domain.md §6.3, from a municipal tool that makes them [C]).
enum BatchLayout {
    struct Column {
        let name: String
        let width: Int
    }

    /// The rows of a file: its non-empty lines, whatever the line ends (bytes that are not UTF-8
    /// become U+FFFD, so such a row is refused column by column).
    static func rows(_ bytes: some Sequence<UInt8>) -> [String] {
        String(decoding: Array(bytes), as: UTF8.self)
            .split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
    }

    static let columns: [Column] = [
        Column(name: "番号体系", width: 2),
        Column(name: "宛名番号", width: 15),
        Column(name: "統合宛名番号", width: 15),
        Column(name: "照会依頼日時", width: 17),
        Column(name: "情報照会者部署コード", width: 20),
        Column(name: "情報照会者ユーザーID", width: 20),
        Column(name: "情報照会者機関コード", width: 16),
        Column(name: "照会側不開示コード", width: 1),
        Column(name: "事務コード", width: 16),
        Column(name: "事務手続きコード", width: 16),
        Column(name: "情報照会者機関コード（委任元）", width: 16),
        Column(name: "情報提供者機関コード（委任元）", width: 16),
        Column(name: "情報提供者機関コード", width: 16),
        Column(name: "特定個人情報名コード", width: 16),
        Column(name: "照会条件区分", width: 1),
        Column(name: "照会年度区分", width: 1),
        Column(name: "照会開始日付", width: 8),
        Column(name: "照会終了日付", width: 8),
    ]
}

/// One row of a batch file, checked column by column.
struct BatchRow {
    /// The row as it came, for the result file.
    let fields: [String]
    let addressNumber: String
    let requestedAt: String
    let department: String
    let user: String
    let nondisclosure: Bool
    let procedure: ProcedureCode
    let item: ItemNumber
    let provider: Organization
    let information: InformationCode
    let fiscalYear: String?

    /// The key two rows must not share (レコード識別番号).
    var key: String { "\(addressNumber)|\(requestedAt)|\(provider.code)|\(information)" }

    /// A column at fault: its number (from 1), name and what is wrong.
    struct Fault: Error {
        let column: Int
        let message: String

        var sentence: String { "\(column)列目（\(BatchLayout.columns[column - 1].name)）: \(message)" }
    }

    init(line: String, inquirer: Organization, topology: Topology) throws(Fault) {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == BatchLayout.columns.count else {
            throw Fault(
                column: min(max(fields.count, 1), BatchLayout.columns.count),
                message: "the row has \(fields.count) columns; a 一括照会 row has \(BatchLayout.columns.count)")
        }
        for (index, field) in fields.enumerated() where field.count != BatchLayout.columns[index].width {
            throw Fault(column: index + 1, message: "is \(field.count) characters wide; it must be \(BatchLayout.columns[index].width)")
        }
        self.fields = fields
        func digits(_ column: Int) -> Bool { fields[column - 1].allSatisfy { $0.isASCII && $0.isNumber } }
        func blank(_ column: Int) -> Bool { fields[column - 1].allSatisfy { $0 == " " } }
        func trimmed(_ column: Int) -> String { fields[column - 1].trimmingCharacters(in: .whitespaces) }

        guard fields[0] == "01" else { throw Fault(column: 1, message: "must be 01 (個人番号体系), not \(fields[0])") }
        guard digits(2) else { throw Fault(column: 2, message: "must be digits, zero-padded to 15") }
        addressNumber = fields[1]
        guard blank(3) || digits(3) else { throw Fault(column: 3, message: "must be blank or 15 digits") }
        guard digits(4), (try? CivilDate(String(fields[3].prefix(8)))) != nil else {
            throw Fault(column: 4, message: "must be a time written yyyyMMddHHmmssSSS")
        }
        requestedAt = fields[3]
        department = trimmed(5)
        user = trimmed(6)
        guard fields[6] == inquirer.code.rawValue else {
            throw Fault(column: 7, message: "\(fields[6]) is not the 機関コード of \(inquirer.name) (\(inquirer.code)), whose certificate sent the file")
        }
        guard fields[7] == "0" || fields[7] == "1" else { throw Fault(column: 8, message: "must be 0 or 1") }
        nondisclosure = fields[7] == "1"
        guard (try? AffairCode(fields[8])) != nil else { throw Fault(column: 9, message: "\(fields[8]) is not a 事務コード (JM + 14 digits)") }
        guard let procedure = try? ProcedureCode(fields[9]) else {
            throw Fault(column: 10, message: "\(fields[9]) is not a 事務手続コード (JT + 14 digits)")
        }
        guard let item = topology.catalogue.item(for: procedure) else {
            throw Fault(column: 10, message: "\(procedure) is not in the layout catalogue, so its 別表第二 item is unknown")
        }
        self.procedure = procedure
        self.item = item
        for column in [11, 12] where !(blank(column) || digits(column)) {
            throw Fault(column: column, message: "must be blank or a 16-digit 機関コード")
        }
        let providerText = trimmed(13)
        guard let provider = Self.provider(providerText, topology: topology) else {
            throw Fault(
                column: 13,
                message: providerText.isEmpty ? "is blank: no provider, the row is not run" : "\(providerText) names no 機関 of this linkage")
        }
        self.provider = provider
        guard let information = try? InformationCode(fields[13]) else {
            throw Fault(column: 14, message: "\(fields[13]) is not a 特定個人情報名コード (TM + 14 digits)")
        }
        guard topology.catalogue.spec(information) != nil else { throw Fault(column: 14, message: "\(information) is not in the layout catalogue") }
        self.information = information
        guard digits(15) else { throw Fault(column: 15, message: "must be a digit") }
        guard digits(16) else { throw Fault(column: 16, message: "must be a digit") }
        for column in [17, 18] where !(blank(column) || (digits(column) && (try? CivilDate(fields[column - 1])) != nil)) {
            throw Fault(column: column, message: "must be blank or a date written yyyyMMdd")
        }
        fiscalYear = blank(17) ? nil : (try? CivilDate(fields[16])).map { String($0.fiscalYear) }
    }

    /// A 機関コード, or a 地方公共団体コード of 5 or 6 digits (accepted since 2024-06).
    static func provider(_ text: String, topology: Topology) -> Organization? {
        if text.count == 16 { return (try? OrganizationCode(text)).flatMap { topology.organization(code: $0) } }
        guard text.count == 5 || text.count == 6 else { return nil }
        return topology.organizations.first { $0.localGovernmentCode.map { $0.rawValue.hasPrefix(text) } ?? false }
    }
}
