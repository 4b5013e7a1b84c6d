import Foundation
import Hummingbird
import RenkeiConfig
import RenkeiCore
import RenkeiEdge
import RenkeiNodes

/// 情報照会: the form (with the item explained and the rules checked before sending), sending
/// it, 符号取得 for a person without 符号, and 照会状況 by 受付番号.
struct InquiryRoutes: Sendable {
    let environment: ConsoleEnvironment

    func add(to router: Router<ConsoleRequestContext>) {
        router.get(
            "/inquiry",
            use: environment.signedIn { request, _, session in
                var entry = Entry()
                entry.addressNumber = String(query(request, "addressNumber").prefix(32))
                let name = query(request, "name").trimmingCharacters(in: .whitespaces)
                let found = name.isEmpty ? nil : try await findPeople(named: String(name.prefix(40)), session)
                return try form(session, system: query(request, "system"), entry: entry, people: found, searched: String(name.prefix(40)))
            })
        router.post("/inquiry", use: environment.signedIn { request, context, session in try await send(request, context, session) })
        router.post("/link-codes", use: environment.signedIn { request, context, session in try await acquire(request, context, session) })
        router.get("/results", use: environment.signedIn { request, _, session in try await lookup(request, session) })
        router.get(
            "/results/:reception",
            use: environment.signedIn { _, context, session in
                try await result(try context.parameters.require("reception"), session)
            })
    }

    private var topology: Topology { environment.topology }

    private func query(_ request: Request, _ name: String) -> String { request.uri.queryParameters[Substring(name)].map(String.init) ?? "" }

    /// What the form sent, for showing it again.
    struct Entry: Sendable {
        var system = ""
        var addressNumber = ""
        var item = ""
        var provider = ""
        var information = ""
        var procedure = ""
        var fiscalYear = ""
        var nondisclosure = false

        init() {}

        init(_ form: ConsoleForm) throws(RenkeiError) {
            system = try form.text("system", label: "事務", limit: 64)
            addressNumber = try form.text("addressNumber", label: "宛名番号", limit: 32)
            item = try form.text("item", label: "項番", limit: 16)
            provider = try form.text("provider", label: "情報照会先", limit: 64)
            information = try form.text("information", label: "特定個人情報名", limit: 32)
            procedure = try form.text("procedure", label: "事務手続", limit: 32)
            fiscalYear = try form.text("fiscalYear", label: "年度", limit: 8)
            nondisclosure = form["nondisclosure"] == "on"
        }

        var fields: [String: String] {
            var fields = ["system": system, "addressNumber": addressNumber, "item": item, "provider": provider, "information": information]
            if !procedure.isEmpty { fields["procedure"] = procedure }
            if !fiscalYear.isEmpty { fields["fiscalYear"] = fiscalYear }
            if nondisclosure { fields["nondisclosure"] = "true" }
            return fields
        }
    }

    /// The form for one of the member of staff's 事務, with `entry` filled in and what the rules
    /// (or the linkage) said about it.
    private func form(
        _ session: ConsoleSession, system named: String, entry: Entry = Entry(), check: [String: Any]? = nil, people: [[String: String]]? = nil,
        searched: String = "", status: HTTPResponse.Status = .ok
    ) throws(RenkeiError) -> Response {
        let inquiring = session.systems.compactMap { topology.businessSystem(id: $0) }.filter { !$0.items.isEmpty }
        guard !inquiring.isEmpty else {
            throw RenkeiError(.operatorNotAuthorized, "\(session.identity) works on no 事務 that inquires (情報照会); ask an administrator")
        }
        let system = try environment.system(session, named: named.isEmpty ? inquiring[0].id : named)
        let today = environment.network.clock.today()
        let items = system.items.map { reference -> [String: Any] in
            let value = reference.legacy?.description ?? "2024:\(reference.ordinance?.description ?? "")"
            return [
                "value": value, "label": reference.japanese, "affair": affair(reference, on: today), "selected": value == entry.item,
            ]
        }
        var values: [String: Any] = [
            "systems": inquiring.map { ["id": $0.id, "name": $0.name, "selected": $0.id == system.id] },
            "system": ["id": system.id, "name": system.name, "marksNondisclosure": system.marksNondisclosure],
            "items": items,
            "providers": topology.organizations.map { ["id": $0.id, "name": $0.name, "selected": $0.id == entry.provider] },
            "information": topology.catalogue.information.map {
                ["code": $0.code.rawValue, "name": $0.name, "class": $0.informationClass, "selected": $0.code.rawValue == entry.information]
            },
            "entry": [
                "addressNumber": entry.addressNumber, "procedure": entry.procedure, "fiscalYear": entry.fiscalYear,
                "nondisclosure": entry.nondisclosure,
            ],
            "today": today.description,
        ]
        if let check { values["check"] = check }
        if let people {
            values["people"] = people
            values["searched"] = searched
            values["nobody"] = people.isEmpty
            values["found"] = !people.isEmpty
        }
        return environment.pages.page("inquiry", title: "情報照会", session: session, values: values, status: status)
    }

    /// The people of the member of staff's 機関 whose name (kanji or kana) contains `name`: the
    /// population of the scenario the network holds, as `renkei population` lists it. At most 20.
    private func findPeople(named name: String, _ session: ConsoleSession) async throws(RenkeiError) -> [[String: String]] {
        guard let basis = topology.registers[session.organization.id] else {
            throw RenkeiError(.unknownOrganization, "\(session.organization.name) keeps no register of people")
        }
        let scenario = try Scenario.load(
            named: environment.network.control.scenario.current?.scenario ?? "seed", in: environment.scenarios, topology: topology)
        let population = Population(plan: scenario.plan(topology))
        let compact = name.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "　", with: "")
        return try await environment.journaled(session, "findPerson", ["name": name]) { _ throws(RenkeiError) in
            var found = [[String: String]]()
            for entry in population.register(basis) where found.count < 20 {
                let person = population.persons[entry.person]
                guard (person.familyName + person.givenName).contains(compact) || (person.familyNameKana + person.givenNameKana).contains(compact)
                else { continue }
                found.append([
                    "addressNumber": entry.addressNumber.rawValue, "name": person.name, "kana": person.nameKana,
                    "birthDate": person.birthDate.description,
                    "linkCode": entry.linkCodeAcquired ? "取得済" : "未取得",
                ])
            }
            return found
        }
    }

    /// What the item is for (its 事務), from the table in force.
    private func affair(_ reference: ItemReference, on date: CivilDate) -> String {
        let rules = topology.rules
        let table = rules.inForce(on: date)
        guard let number = reference.number(in: table.numbering) ?? reference.legacy else { return "" }
        return (table.item(number) ?? rules.beppyo2015.item(number))?.affair ?? ""
    }

    private func send(_ request: Request, _ context: ConsoleRequestContext, _ session: ConsoleSession) async throws -> Response {
        let form = try await environment.form(request, context, session)
        let entry = try Entry(form)
        if form["action"] == "check" {
            return try self.form(session, system: entry.system, entry: entry, check: precheck(entry, session))
        }
        let system = try environment.system(session, named: entry.system)
        let client = try await environment.linkage.client(system.id)
        do {
            let result = try await environment.journaled(session, "inquire", entry.fields, reception: { $0.receptionNumber }) {
                trace throws(RenkeiError) in
                var question = try InquiryQuestion(
                    item: entry.item, provider: entry.provider, information: entry.information,
                    procedure: entry.procedure.isEmpty ? nil : entry.procedure,
                    fiscalYear: entry.fiscalYear.isEmpty ? nil : entry.fiscalYear, nondisclosure: entry.nondisclosure, trace: trace,
                    topology: topology)
                question.operatorToken = session.token
                return try await client.inquire(.addressNumber(entry.addressNumber), question, deadline: ConsoleLinkage.deadline(seconds: 10))
            }
            return ConsolePages.redirect("/results/\(result.receptionNumber)")
        } catch {
            // The refusal and the check that made it, from this request's own journal entry.
            let latest = environment.entries(of: session.identity, since: 0).last { $0.operation == "inquire" }
            var check: [String: Any] = ["denied": true, "sent": true, "code": error.code.rawValue, "message": error.message]
            // Mustache renders a section for any string, even an empty one: only what is known goes in.
            if let miss = latest?.nearMiss {
                check["rule"] = miss.check
                if let field = miss.field { check["field"] = ExerciseScore.fieldNames[field] ?? field }
                if let accepted = miss.accepted, !accepted.isEmpty { check["accepted"] = accepted }
            }
            check["linkCodeMissing"] = error.code == .linkCodeNotAcquired && topology.addressSystem(for: session.organization.id) != nil
            return try self.form(
                session, system: entry.system, entry: entry, check: check,
                status: HTTPResponse.Status(code: ErrorCatalogue.renkei.httpStatus(error.code)))
        }
    }

    /// The rules' answer before anything is sent: the 事務's own items, then 別表第二 (or the
    /// ordinance) for this inquirer, provider and information, as the network system will check.
    private func precheck(_ entry: Entry, _ session: ConsoleSession) -> [String: Any] {
        do throws(RenkeiError) {
            let system = try environment.system(session, named: entry.system)
            let rules = topology.rules
            let today = environment.network.clock.today()
            let citation = try ItemCitation(entry.item)
            let reference = try rules.reference(for: citation, on: today)
            guard system.items.contains(where: { $0.overlaps(reference) }) else {
                return [
                    "denied": true, "code": ErrorCode.systemNotAuthorized.rawValue,
                    "message": "\(system.name) の事務は \(reference.japanese) で照会できません（\(system.id) may not inquire under this item）",
                    "field": ExerciseScore.fieldNames["item"] ?? "item",
                ]
            }
            let provider = try topology.requireOrganization(entry.provider, role: "provider")
            let information = try topology.informationCode(for: entry.information)
            guard let spec = topology.catalogue.spec(information) else {
                throw RenkeiError(.unknownInformationCode, "\(information) is not in the catalogue")
            }
            switch rules.check(
                reference, citedIn: rules.numbering(of: citation, on: today), on: today, inquirerKinds: session.organization.kinds,
                providerKinds: provider.kinds, information: spec.informationClass)
            {
            case let .permitted(item, _):
                return [
                    "permitted": true,
                    "message":
                        "\(reference.japanese): \(session.organization.name) は \(provider.name) に \(spec.informationClass) を照会できます（permitted, \(item)）",
                ]
            case let .denied(error, field):
                return [
                    "denied": true, "code": error.code.rawValue, "message": error.message,
                    "field": ExerciseScore.fieldNames[field.rawValue] ?? field.rawValue,
                ]
            }
        } catch {
            return ["denied": true, "code": error.code.rawValue, "message": error.message]
        }
    }

    /// 符号取得 for the person of a refused inquiry, through the 団体内統合宛名システム.
    private func acquire(_ request: Request, _ context: ConsoleRequestContext, _ session: ConsoleSession) async throws -> Response {
        let form = try await environment.form(request, context, session)
        let entry = try Entry(form)
        let system = try environment.system(session, named: entry.system)
        let client = try await environment.linkage.client(system.id)
        try await environment.journaled(session, "acquireLinkCode", ["system": system.id, "addressNumber": entry.addressNumber]) {
            _ throws(RenkeiError) in
            try await client.acquireLinkCode(.addressNumber(entry.addressNumber), deadline: ConsoleLinkage.deadline())
        }
        return try self.form(
            session, system: system.id, entry: entry,
            check: ["permitted": true, "message": "宛名番号 \(entry.addressNumber) の符号を取得しました（link code acquired）。もう一度照会してください。"])
    }

    private func lookup(_ request: Request, _ session: ConsoleSession) async throws -> Response {
        let reception = query(request, "reception").trimmingCharacters(in: .whitespaces)
        if !reception.isEmpty {
            return ConsolePages.redirect("/results/\(reception.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
        }
        return environment.pages.page("results-lookup", title: "照会状況", session: session)
    }

    /// 照会状況 and the 副本 provided, for the business system of the member of staff that asked;
    /// another 事務's inquiry is refused by the linkage (SYSTEM_NOT_AUTHORIZED), here as in the API.
    private func result(_ reception: String, _ session: ConsoleSession) async throws -> Response {
        guard reception.utf8.count <= 32 else { throw RenkeiError(.invalidRequest, "a 受付番号 is at most 32 characters") }
        var refusal = RenkeiError(.operatorNotAuthorized, "\(session.identity) works on no 事務 that inquires")
        for system in session.systems {
            guard let spec = topology.businessSystem(id: system), !spec.items.isEmpty else { continue }
            let client = try await environment.linkage.client(system)
            do {
                let result = try await environment.journaled(session, "result", ["receptionNumber": reception, "system": system]) {
                    _ throws(RenkeiError) in
                    try await client.result(reception, deadline: ConsoleLinkage.deadline())
                }
                let report = InquiryReport(result, topology: topology)
                return environment.pages.page(
                    "result", title: "照会状況 \(report.receptionNumber)", session: session,
                    values: [
                        "report": report, "hasRecords": !report.records.isEmpty,
                        "pending": report.status == "processing" || report.status == "awaiting_manual",
                        "system": system,
                    ])
            } catch {
                refusal = error
            }
        }
        throw refusal
    }
}
