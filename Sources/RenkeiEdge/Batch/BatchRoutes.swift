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
        rest.journal.journal.annotate(
            context.trace, operation: "一括照会 file", request: ["rows": String(lines.count), "bytes": String(body.readableBytes)])
        guard !lines.isEmpty else {
            let error = RenkeiError(.invalidRequest, "the batch file has no rows")
            rest.journal.unparsed(context, bytes: body.readableBytesView, error: error)
            throw error
        }
        guard lines.count <= EdgeLimits.batchRows else {
            let error = RenkeiError(.invalidRequest, "the batch file has \(lines.count) rows; at most \(EdgeLimits.batchRows) per file, split it")
            rest.journal.unparsed(context, bytes: body.readableBytesView, error: error)
            throw error
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
                    let error = RenkeiError(.duplicateRecord, "「レコード識別番号」が既に存在しています。")
                    outcomes[index] = .failed(fields: row.fields, error)
                    refusedRow(index, line, error, file: context.trace, identity: identity)
                    continue
                }
                rows.append((index, row))
            } catch {
                let refusal = RenkeiError(.invalidRequest, error.sentence)
                outcomes[index] = .failed(fields: Self.fields(of: line), refusal)
                refusedRow(index, line, refusal, file: context.trace, identity: identity)
            }
        }

        // Run the well-formed rows, a bounded number at a time.
        await withTaskGroup(of: (Int, RowOutcome).self) { group in
            var next = rows.makeIterator()
            func launch() {
                guard let (index, row) = next.next() else { return }
                group.addTask { (index, await execute(row, index: index, file: context.trace, identity: identity)) }
            }
            for _ in 0..<Self.concurrency { launch() }
            while let (index, outcome) = await group.next() {
                outcomes[index] = outcome
                launch()
            }
        }

        let results = outcomes.compactMap { $0 }
        let failed = results.filter(\.isFailure).count
        rest.journal.journal.annotate(context.trace, request: ["failed": String(failed)])
        let file = results.map { $0.line(topology: topology) }.joined(separator: "\r\n") + "\r\n"
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .renkeiRows: String(results.count), .renkeiFailed: String(failed)],
            body: .init(byteBuffer: ByteBuffer(string: file))
        )
    }

    /// A row refused before it ran, in its own journal entry with the line as sent.
    private func refusedRow(_ index: Int, _ line: String, _ error: RenkeiError, file: String, identity: PeerIdentity) {
        rest.journal.journal.record(
            interface: .batchRow, identity: identity.name, operation: "一括照会 row", request: ["file": file, "row": String(index + 1)],
            excerpt: line, error: error, at: rest.journal.clock.nowMicros())
    }

    /// One row, in its own journal entry that names its file and row number.
    private func execute(_ row: BatchRow, index: Int, file: String, identity: PeerIdentity) async -> RowOutcome {
        do throws(RenkeiError) {
            let result = try await rest.journal.journal.run(
                interface: .batchRow, identity: identity.name, operation: "一括照会 row",
                request: [
                    "file": file, "row": String(index + 1), "addressNumber": row.addressNumber, "information": row.information.rawValue,
                    "item": row.item.description, "provider": row.provider.id,
                ],
                clock: rest.journal.clock, reception: { $0.receptionNumber }
            ) { trace throws(RenkeiError) in
                let question = try InquiryQuestion(
                    item: row.item.description, provider: row.provider.code.rawValue, information: row.information.rawValue,
                    procedure: row.procedure.rawValue,
                    fiscalYear: row.fiscalYear, nondisclosure: row.nondisclosure, department: row.department, user: row.user, trace: trace,
                    topology: rest.topology
                )
                return try await rest.linkage.client(for: identity).inquire(.addressNumber(row.addressNumber), question, deadline: rest.deadline())
            }
            return .answered(fields: row.fields, result)
        } catch {
            return .failed(fields: row.fields, Self.sentence(for: error, row: row))
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
