import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI

/// 一括照会: POST /v1/batch with a .DAT file (up to 10,000 rows). Every row runs, several
/// at once; the answer is the result file: each row as sent, then the 受付番号, the two
/// status levels with the result message, and the data of the first matching 副本. A row
/// that is malformed is reported with the column at fault; the others still run.
struct BatchRoutes: Sendable {
    let rest: RESTRoutes
    static let concurrency = 64

    func add(to router: Router<EdgeRequestContext>) {
        router.post("/v1/batch") { request, context in try await run(request, context) }
    }

    private func run(_ request: Request, _ context: EdgeRequestContext) async throws -> Response {
        let identity = try context.caller()
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: EdgeLimits.maximumBody) } catch {
            throw RenkeiError(.bodyTooLarge, "a batch file is at most \(EdgeLimits.maximumBody) bytes (10,000 rows)")
        }
        let lines = BatchLayout.rows(body.readableBytesView)
        guard !lines.isEmpty else { throw RenkeiError(.invalidRequest, "the batch file has no rows") }
        guard lines.count <= EdgeLimits.batchRows else {
            throw RenkeiError(.invalidRequest, "the batch file has \(lines.count) rows; at most \(EdgeLimits.batchRows) per file, split it")
        }
        let topology = rest.topology
        guard let code = identity.organizationCode, let inquirer = topology.organization(code: code) else {
            throw RenkeiError(.peerNotAuthorized, "\(identity) acts for no 機関")
        }

        // Check every row first; duplicates of an earlier row are refused like the 中間サーバー does.
        var outcomes = [RowOutcome?](repeating: nil, count: lines.count)
        var rows = [(Int, BatchRow)]()
        var seen = Set<String>()
        for (index, line) in lines.enumerated() {
            do {
                let row = try BatchRow(line: line, inquirer: inquirer, topology: topology)
                guard seen.insert(row.key).inserted else {
                    outcomes[index] = .failed(fields: row.fields, RenkeiError(.duplicateRecord, "「レコード識別番号」が既に存在しています。"))
                    continue
                }
                rows.append((index, row))
            } catch {
                outcomes[index] = .failed(fields: Self.fields(of: line), RenkeiError(.invalidRequest, error.sentence))
            }
        }

        // Run the well-formed rows, a bounded number at a time.
        await withTaskGroup(of: (Int, RowOutcome).self) { group in
            var next = rows.makeIterator()
            func launch() {
                guard let (index, row) = next.next() else { return }
                group.addTask { (index, await execute(row, identity: identity)) }
            }
            for _ in 0..<Self.concurrency { launch() }
            while let (index, outcome) = await group.next() {
                outcomes[index] = outcome
                launch()
            }
        }

        let results = outcomes.compactMap { $0 }
        let failed = results.filter(\.isFailure).count
        let file = results.map { $0.line(topology: topology) }.joined(separator: "\r\n") + "\r\n"
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .renkeiRows: String(results.count), .renkeiFailed: String(failed)],
            body: .init(byteBuffer: ByteBuffer(string: file))
        )
    }

    private func execute(_ row: BatchRow, identity: PeerIdentity) async -> RowOutcome {
        do {
            let result = try await rest.journal.run(
                identity, interface: "batch", operation: "inquire",
                request: ["addressNumber": row.addressNumber, "information": row.information.rawValue], reception: { $0.receptionNumber }
            ) { trace in
                let question = try InquiryQuestion(
                    item: row.item.description, provider: row.provider.code.rawValue, information: row.information.rawValue,
                    procedure: row.procedure.rawValue,
                    fiscalYear: row.fiscalYear, nondisclosure: row.nondisclosure, department: row.department, user: row.user, trace: trace,
                    topology: rest.topology
                )
                return try await rest.linkage.client(for: identity).inquire(.addressNumber(row.addressNumber), question, deadline: rest.deadline())
            }
            return .answered(fields: row.fields, result)
        } catch let error as RenkeiError {
            return .failed(fields: row.fields, Self.sentence(for: error, row: row))
        } catch {
            return .failed(fields: row.fields, RenkeiError(.internalError, "\(error)"))
        }
    }

    /// The 中間サーバー's own sentences where they are known.
    static func sentence(for error: RenkeiError, row: BatchRow) -> RenkeiError {
        switch error.code {
        case .ruleNotPermitted, .systemNotAuthorized, .itemDeleted:
            return RenkeiError(error.code, "指定された特定個人情報名「\(row.information.rawValue.fullWidth)」の照会は許可されていません。 (\(error.message))")
        case .linkCodeNotAcquired:
            return RenkeiError(error.code, String(error.message.prefix { $0 != " " }))
        default:
            return error
        }
    }

    /// The columns of a row that did not parse, as the result file echoes them: each at most
    /// 64 characters, so a hostile row is not sent back whole.
    static func fields(of line: String) -> [String] {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).prefix(BatchLayout.columns.count).map { String($0).excerpt(64) }
        return Array((fields + Array(repeating: "", count: BatchLayout.columns.count)).prefix(BatchLayout.columns.count))
    }
}

/// How one row ended, and its line in the result file.
enum RowOutcome {
    case answered(fields: [String], InquiryResult)
    case failed(fields: [String], RenkeiError)

    var isFailure: Bool {
        if case .failed = self { return true }
        return false
    }

    func line(topology: Topology) -> String {
        var columns: [String]
        switch self {
        case let .answered(fields, result):
            let report = InquiryReport(result, topology: topology)
            let message: String
            switch (report.status, report.outcome) {
            case ("awaiting_manual", _): message = "手動応答待ち"
            case ("processing", _): message = "処理中"
            case (_, "no_data"): message = "該当なし"
            default: message = "正常終了"
            }
            columns = fields + [result.receptionNumber, report.statusCodes.detail, message, report.statusCodes.information]
            let spec = (try? InformationCode(result.question.informationCode)).flatMap { topology.catalogue.spec($0) }
            let itemCodes = spec?.dataSets.flatMap { $0.items.map(\.code) } ?? []
            let wanted = result.question.fiscalYear
            let records = result.recordSet.records
            let record = records.first { !wanted.isEmpty && $0.recordKey == wanted } ?? records.last
            columns += itemCodes.map { code in
                record?.items.first(where: { $0.code == code })?.value ?? ""
            }
        case let .failed(fields, error):
            let codes = topology.catalogue.statusCodes.codes(status: "failed", outcome: "denied")
            columns = fields + ["", codes.detail, error.message, codes.information]
        }
        return columns.map(Self.csv).joined(separator: ",")
    }

    /// One field of the result file: quoted where it holds a comma or a quote; a line break or
    /// other control character (which validated 副本 never hold) becomes U+FFFD, so no value
    /// can start a line of its own.
    static func csv(_ field: String) -> String {
        var scalars = String.UnicodeScalarView()
        var needsQuotes = false
        for scalar in field.unicodeScalars {
            switch scalar.value {
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: scalars.append("\u{FFFD}")
            case 0x2C:
                needsQuotes = true
                scalars.append(scalar)
            case 0x22:
                needsQuotes = true
                scalars.append(contentsOf: "\"\"".unicodeScalars)
            default: scalars.append(scalar)
            }
        }
        return needsQuotes ? "\"" + String(scalars) + "\"" : String(scalars)
    }
}

extension HTTPField.Name {
    // Safe: both names are valid header tokens, checked by the HTTPTypes tests of the literal form.
    static let renkeiRows = HTTPField.Name("X-Renkei-Rows")!  // swiftlint:disable:this force_unwrapping
    static let renkeiFailed = HTTPField.Name("X-Renkei-Failed")!  // swiftlint:disable:this force_unwrapping
}
