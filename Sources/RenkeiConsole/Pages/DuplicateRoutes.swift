import Foundation
import Hummingbird
import RenkeiConfig
import RenkeiCore
import RenkeiNodes

/// 副本: what the 中間サーバー holds for a person, of what the member of staff's 事務 provides,
/// as a table; and registration of one record, item by item, with every format error shown
/// beside its field before anything is sent (the same check the 中間サーバー makes again).
struct DuplicateRoutes: Sendable {
    let environment: ConsoleEnvironment

    func add(to router: Router<ConsoleRequestContext>) {
        router.get("/duplicates", use: environment.signedIn { request, _, session in try await view(request, session) })
        router.get("/duplicates/new", use: environment.signedIn { request, _, session in try form(request, session) })
        router.post("/duplicates", use: environment.signedIn { request, context, session in try await register(request, context, session) })
        router.post("/duplicates/delete", use: environment.signedIn { request, context, session in try await delete(request, context, session) })
    }

    private var topology: Topology { environment.topology }
    private static let reasons = ["NotAcceptable", "NotConvered"]

    /// A 事務 and one 特定個人情報名 it provides, as one choice ("system|TM…").
    private struct Target {
        let system: Topology.BusinessSystemSpec
        let information: InformationCatalogue.InformationSpec

        var value: String { "\(system.id)|\(information.code.rawValue)" }
        var label: String { "\(system.name) — \(information.name)" }
    }

    private func targets(_ session: ConsoleSession) -> [Target] {
        session.systems.compactMap { topology.businessSystem(id: $0) }.flatMap { system in
            system.provides.sorted().compactMap { code in topology.catalogue.spec(code).map { Target(system: system, information: $0) } }
        }
    }

    private func target(_ session: ConsoleSession, _ value: String) throws(RenkeiError) -> Target {
        let all = targets(session)
        guard !all.isEmpty else {
            throw RenkeiError(.operatorNotAuthorized, "\(session.identity) works on no 事務 that provides 特定個人情報, so holds no 副本")
        }
        guard !value.isEmpty else { return all[0] }
        guard let chosen = all.first(where: { $0.value == value }) else {
            throw RenkeiError(
                .operatorNotAuthorized, "\(session.identity) may not work with the 副本 of \(value.excerpt(48)); choose one of the list")
        }
        return chosen
    }

    private func choices(_ session: ConsoleSession, selected: Target) -> [[String: Any]] {
        targets(session).map { ["value": $0.value, "label": $0.label, "selected": $0.value == selected.value] }
    }

    // MARK: Viewer

    private func view(
        _ request: Request, _ session: ConsoleSession, notice: String? = nil, person: String? = nil, chosen: String? = nil
    )
        async throws -> Response
    {
        let query = request.uri.queryParameters
        let target = try target(session, chosen ?? query["target"].map(String.init) ?? "")
        let addressNumber = person ?? query["addressNumber"].map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        var values: [String: Any] = ["targets": choices(session, selected: target), "addressNumber": addressNumber, "target": target.value]
        if let notice { values["notice"] = notice }
        if !addressNumber.isEmpty {
            guard addressNumber.count <= 15 else { throw RenkeiError(.invalidRequest, "宛名番号 is at most 15 digits") }
            let client = try await environment.linkage.client(target.system.id)
            let records = try await environment.journaled(
                session, "readDuplicates",
                ["system": target.system.id, "addressNumber": addressNumber, "information": target.information.code.rawValue]
            ) { _ throws(RenkeiError) in
                try await client.duplicates(
                    addressNumber: addressNumber, information: target.information.code.rawValue, token: session.token,
                    deadline: ConsoleLinkage.deadline())
            }
            values["searched"] = true
            values["count"] = records.count
            values["records"] = records.map { table($0, spec: target.information) }
        }
        return environment.pages.page("duplicates", title: "副本の照会・登録", session: session, values: values)
    }

    private func table(_ record: DuplicateRecord, spec: InformationCatalogue.InformationSpec) -> [String: Any] {
        let dataSet = spec.dataSets.first { $0.id == record.dataSet }
        return [
            "dataSet": record.dataSet, "dataSetName": dataSet?.name ?? "", "recordKey": record.recordKey, "version": record.version,
            "published": record.publicationDate?.description ?? "—", "ends": record.endDate?.description ?? "—",
            "information": record.informationCode.rawValue,
            "items": record.items.map { item in
                [
                    "code": item.code, "name": dataSet?.items.first { $0.code == item.code }?.name ?? "",
                    "value": item.value ?? "", "reason": item.value == nil ? (item.reasonOfNull ?? "") : "",
                ] as [String: Any]
            },
        ]
    }

    // MARK: Registration

    private func form(_ request: Request, _ session: ConsoleSession) throws -> Response {
        let query = request.uri.queryParameters
        let target = try target(session, query["target"].map(String.init) ?? "")
        let dataSet = try dataSet(of: target, query["dataSet"].map(String.init) ?? "")
        let fields = Fields(addressNumber: query["addressNumber"].map(String.init) ?? "", dataSet: dataSet.id)
        return page(session, target: target, dataSet: dataSet, fields: fields, problems: [])
    }

    private func dataSet(of target: Target, _ id: String) throws(RenkeiError) -> InformationCatalogue.DataSetSpec {
        guard let first = target.information.dataSets.first else {
            throw RenkeiError(.invalidConfiguration, "\(target.information.code) has no data set in the layout catalogue")
        }
        guard !id.isEmpty else { return first }
        guard let chosen = target.information.dataSets.first(where: { $0.id == id }) else {
            throw RenkeiError(
                .invalidRequest,
                "\(target.information.code) has no data set \(id.excerpt(8)); its data sets are \(target.information.dataSets.map(\.id).joined(separator: ", "))"
            )
        }
        return chosen
    }

    /// What the member of staff typed, to show again with the errors.
    private struct Fields {
        var addressNumber = ""
        var dataSet = ""
        var recordKey = ""
        var version = "1"
        var published = ""
        var ends = ""
        var values: [String: String] = [:]
        var reasons: [String: String] = [:]
    }

    private func page(
        _ session: ConsoleSession, target: Target, dataSet: InformationCatalogue.DataSetSpec, fields: Fields, problems: [LayoutProblem],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let byItem = Dictionary(grouping: problems.filter { $0.item != nil }, by: { $0.item ?? "" })
        let general = problems.filter { problem in problem.item == nil || !dataSet.items.contains { $0.code == problem.item } }
        let items: [[String: Any]] = dataSet.items.map { item in
            var row: [String: Any] = [
                "code": item.code, "name": item.name, "value": fields.values[item.code] ?? "", "format": Self.describe(item),
                "reasons": ([""] + Self.reasons).map { reason in
                    ["reason": reason, "label": reason.isEmpty ? "（値を入力）" : reason, "selected": (fields.reasons[item.code] ?? "") == reason]
                },
            ]
            if let messages = byItem[item.code] { row["error"] = messages.map(\.message).joined(separator: "; ") }
            return row
        }
        var values: [String: Any] = [
            "targets": choices(session, selected: target), "target": target.value, "informationName": target.information.name,
            "dataSets": target.information.dataSets.map { ["id": $0.id, "name": $0.name, "selected": $0.id == dataSet.id] },
            "dataSet": dataSet.id, "items": items, "addressNumber": fields.addressNumber, "recordKey": fields.recordKey,
            "version": fields.version, "published": fields.published, "ends": fields.ends,
        ]
        if !problems.isEmpty {
            values["hasProblems"] = true
            values["problemCount"] = problems.count
            values["problems"] = general.map(\.message)
        }
        return environment.pages.page("duplicate-form", title: "副本の登録", session: session, values: values, status: status)
    }

    /// The format as a hint beside the field, in Japanese with the English on hover.
    private static func describe(_ item: InformationCatalogue.ItemSpec) -> String {
        let format =
            switch item.format {
            case .text: "文字"
            case .date: "日付 yyyy-MM-dd"
            case .integer: "半角数字"
            case .year: "西暦4桁"
            }
        return item.maxLength.map { "\(format)（\($0)文字以内）" } ?? format
    }

    private func register(_ request: Request, _ context: ConsoleRequestContext, _ session: ConsoleSession) async throws -> Response {
        let form = try await environment.form(request, context, session)
        let target = try target(session, form["target"])
        let dataSet = try dataSet(of: target, form["dataSet"])
        var fields = Fields(
            addressNumber: try form.text("addressNumber", label: "宛名番号", limit: 15), dataSet: dataSet.id,
            recordKey: try form.text("recordKey", label: "データセットレコードキー", limit: 64), version: try form.text("version", label: "版番号", limit: 4),
            published: try form.text("published", label: "公開開始日", limit: 10), ends: try form.text("ends", label: "公開終了日", limit: 10))
        for item in dataSet.items {
            fields.values[item.code] = try form.text("item.\(item.code)", label: "\(item.name) (\(item.code))", limit: 4_096)
            fields.reasons[item.code] = form["null.\(item.code)"]
        }
        // Everything wrong is collected before anything is sent, so each field shows its own error.
        var problems = [LayoutProblem]()
        if fields.addressNumber.isEmpty { problems.append(LayoutProblem(item: nil, "宛名番号 is required")) }
        let version = Int(fields.version)
        if version == nil { problems.append(LayoutProblem(item: nil, "版番号 must be a number from 1 to 9999, not \"\(fields.version)\"")) }
        var dates = [CivilDate?]()
        for (text, label) in [(fields.published, "公開開始日"), (fields.ends, "公開終了日")] {
            do { dates.append(try CivilDate.field(text, label)) } catch {
                problems.append(LayoutProblem(item: nil, error.message))
                dates.append(nil)
            }
        }
        let items = dataSet.items.map { item -> DuplicateRecord.Item in
            let value = fields.values[item.code] ?? ""
            let reason = fields.reasons[item.code] ?? ""
            if value.isEmpty { return DuplicateRecord.Item(code: item.code, value: nil, reasonOfNull: reason.isEmpty ? nil : reason) }
            return DuplicateRecord.Item(code: item.code, value: value)
        }
        for item in dataSet.items where (fields.values[item.code] ?? "").isEmpty && (fields.reasons[item.code] ?? "").isEmpty {
            problems.append(LayoutProblem(item: item.code, "\(item.name) (\(item.code)) has no value: enter one, or choose its 未設定事由 (ReasonOfNull)"))
        }
        for item in dataSet.items where !(fields.values[item.code] ?? "").isEmpty && !(fields.reasons[item.code] ?? "").isEmpty {
            problems.append(LayoutProblem(item: item.code, "\(item.name) (\(item.code)) has a value and a 未設定事由: give one of them"))
        }
        let record = DuplicateRecord(
            informationCode: target.information.code, dataSet: dataSet.id, recordKey: fields.recordKey, version: version ?? 1,
            publicationDate: dates[0], endDate: dates[1], items: items)
        do { try record.validate() } catch { problems.append(LayoutProblem(item: nil, error.message)) }
        problems += target.information.problems(record)
        guard problems.isEmpty else {
            return page(session, target: target, dataSet: dataSet, fields: fields, problems: problems, status: .badRequest)
        }
        let client = try await environment.linkage.client(target.system.id)
        let entry = DuplicateRegistration.Entry(record: record, addressNumber: fields.addressNumber)
        _ = try await environment.journaled(
            session, "registerDuplicates",
            [
                "system": target.system.id, "addressNumber": fields.addressNumber, "information": target.information.code.rawValue,
                "recordKey": fields.recordKey,
            ]
        ) { _ throws(RenkeiError) in
            try await client.registerDuplicates([entry], token: session.token, deadline: ConsoleLinkage.deadline())
        }
        return try await view(
            request, session, notice: "\(target.information.name) \(dataSet.id)/\(fields.recordKey) を登録しました（registered）。",
            person: fields.addressNumber, chosen: target.value)
    }

    private func delete(_ request: Request, _ context: ConsoleRequestContext, _ session: ConsoleSession) async throws -> Response {
        let form = try await environment.form(request, context, session)
        let target = try target(session, form["target"])
        let addressNumber = try form.text("addressNumber", label: "宛名番号", limit: 15)
        let record = try DuplicateRecord.key(
            informationCode: target.information.code, dataSet: try form.text("dataSet", label: "データセット", limit: 4),
            recordKey: try form.text("recordKey", label: "データセットレコードキー", limit: 64))
        let client = try await environment.linkage.client(target.system.id)
        _ = try await environment.journaled(
            session, "deleteDuplicate", ["system": target.system.id, "addressNumber": addressNumber, "recordKey": record.recordKey]
        ) { _ throws(RenkeiError) in
            try await client.registerDuplicates(
                [DuplicateRegistration.Entry(record: record, addressNumber: addressNumber, delete: true)], token: session.token,
                deadline: ConsoleLinkage.deadline())
        }
        return try await view(
            request, session, notice: "\(record.dataSet)/\(record.recordKey) を削除しました（deleted）。", person: addressNumber, chosen: target.value)
    }
}
