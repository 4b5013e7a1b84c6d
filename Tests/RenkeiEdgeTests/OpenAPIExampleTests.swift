import Foundation
import NIOHTTP1
import RenkeiEdge
import RenkeiTestSupport
import Testing
import Yams

/// Issue 11: every operation of the OpenAPI document has an example of its request and of its
/// success answer; each example fits its schema, and each request example, sent to a running
/// edge, is answered with the documented status by a body that fits the documented schema.
@Suite("OpenAPI examples", .queuedTimeLimit)
struct OpenAPIExampleTests {
    struct Operation {
        let id: String
        let method: String
        let path: String
        let object: [String: Any]
    }

    static func document() throws -> [String: Any] {
        let text = try String(contentsOf: Repository.file("Sources/RenkeiEdge/openapi.yaml"), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    static func operations(_ document: [String: Any]) throws -> [Operation] {
        let paths = try #require(document["paths"] as? [String: Any])
        return paths.flatMap { path, item in
            ((item as? [String: Any]) ?? [:]).compactMap { method, operation -> Operation? in
                guard ["get", "post", "put", "delete"].contains(method), let operation = operation as? [String: Any] else { return nil }
                return Operation(id: operation["operationId"] as? String ?? "\(method) \(path)", method: method, path: path, object: operation)
            }
        }
    }

    /// Follows a `$ref` inside the document.
    static func resolve(_ node: Any?, in document: [String: Any]) -> [String: Any] {
        guard let object = node as? [String: Any] else { return [:] }
        guard let reference = object["$ref"] as? String, reference.hasPrefix("#/") else { return object }
        let target = reference.dropFirst(2).split(separator: "/").reduce(document as Any?) { ($0 as? [String: Any])?[String($1)] }
        return resolve(target, in: document)
    }

    /// Where `value` does not fit `schema`: a missing required field, a field the schema does
    /// not declare, a value of the wrong type or outside its enum.
    static func problems(_ value: Any, _ schemaNode: Any?, _ document: [String: Any], at path: String) -> [String] {
        let schema = resolve(schemaNode, in: document)
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
            return ["\(path): \(value) is not in its enum"]
        }
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { return ["\(path): an object is documented"] }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            var found = ((schema["required"] as? [String]) ?? []).filter { object[$0] == nil }.map { "\(path).\($0): required, missing" }
            for (key, field) in object {
                if let declared = properties[key] {
                    found += problems(field, declared, document, at: "\(path).\(key)")
                } else if let additional = schema["additionalProperties"] {
                    found += problems(field, additional, document, at: "\(path).\(key)")
                } else if !properties.isEmpty {
                    found.append("\(path).\(key): not declared in the schema")
                }
            }
            return found
        case "array":
            guard let array = value as? [Any] else { return ["\(path): an array is documented"] }
            return array.enumerated().flatMap { problems($1, schema["items"], document, at: "\(path)[\($0)]") }
        case "string": return value is String ? [] : ["\(path): a string is documented, not \(value)"]
        case "integer": return value is Int ? [] : ["\(path): an integer is documented, not \(value)"]
        case "number": return value is Int || value is Double ? [] : ["\(path): a number is documented, not \(value)"]
        case "boolean": return value is Bool ? [] : ["\(path): a boolean is documented, not \(value)"]
        default: return []
        }
    }

    /// The first example of a request body or response content: media type, value and schema.
    static func example(_ node: Any?, _ document: [String: Any]) -> (type: String, value: Any, schema: Any?)? {
        let content = resolve(node, in: document)["content"] as? [String: Any] ?? [:]
        guard let (type, media) = content.first, let media = media as? [String: Any],
            let example = (media["examples"] as? [String: Any])?.values.first as? [String: Any], let value = example["value"]
        else { return nil }
        return (type, value, media["schema"])
    }

    static func successStatus(_ operation: Operation) -> String? {
        ((operation.object["responses"] as? [String: Any]) ?? [:]).keys.filter { $0.hasPrefix("2") }.sorted().first
    }

    @Test("every operation has an example request and success answer, each fitting its schema, and every path parameter an example")
    func everyOperationHasExamples() throws {
        let document = try Self.document()
        let operations = try Self.operations(document)
        #expect(operations.count == 32, "\(operations.map(\.id).sorted())")
        for operation in operations {
            if let body = operation.object["requestBody"] {
                let request = Self.example(body, document)
                #expect(request != nil, "\(operation.id): the request body has no example")
                if let request, request.type.hasSuffix("json") {
                    #expect(Self.problems(request.value, request.schema, document, at: "\(operation.id) request") == [])
                }
            }
            for parameter in (operation.object["parameters"] as? [[String: Any]]) ?? [] where parameter["in"] as? String == "path" {
                #expect(parameter["example"] != nil, "\(operation.id): path parameter \(parameter["name"] ?? "?") has no example")
            }
            let status = try #require(Self.successStatus(operation), "\(operation.id) has no success response")
            let response = (operation.object["responses"] as? [String: Any])?[status]
            let answer = Self.example(response, document)
            #expect(answer != nil, "\(operation.id): the \(status) answer has no example")
            if let answer, answer.type.hasSuffix("json") {
                #expect(Self.problems(answer.value, answer.schema, document, at: "\(operation.id) \(status) answer") == [])
            }
        }
    }

    @Test("every request example, sent to a running edge, is answered with the documented status and a body that fits the documented schema")
    func requestExamplesAreAnsweredAsDocumented() async throws {
        let document = try Self.document()
        let operations = try Dictionary(uniqueKeysWithValues: Self.operations(document).map { ($0.id, $0) })
        var sent = Set<String>()
        try await withEdge { edge in
            /// Sends `id`'s examples (path parameters replaced by `values` where a live id is needed)
            /// and checks the answer; returns it for the next step.
            @discardableResult
            func send(
                _ id: String, as caller: String = "tomakomai/kokuho", values: [String: String] = [:], bearer: String? = nil
            ) async throws -> HTTPSClient.Response {
                let operation = try #require(operations[id], "no operation \(id)")
                sent.insert(id)
                var path = operation.path
                var query = [String]()
                for parameter in (operation.object["parameters"] as? [[String: Any]]) ?? [] {
                    guard let name = parameter["name"] as? String, let example = values[name] ?? parameter["example"].map({ "\($0)" }) else {
                        continue
                    }
                    if parameter["in"] as? String == "path" {
                        path = path.replacingOccurrences(of: "{\(name)}", with: example)
                    } else {
                        query.append("\(name)=\(example)")
                    }
                }
                if !query.isEmpty { path += "?" + query.joined(separator: "&") }
                let request = Self.example(operation.object["requestBody"], document)
                let admin = operation.path.hasPrefix("/admin")
                let node = admin ? "admin" : caller.hasPrefix("sapporo") ? "atena-sapporo" : "atena-tomakomai"
                // A 機関's flags, queue and staff are its administrator's; the rest the platform operator's.
                let tenantScoped = ["/admin/staff", "/admin/flags", "/admin/queue/"].contains { operation.path.hasPrefix($0) } || id == "queue"
                let caller =
                    admin ? (tenantScoped ? (id.contains("Staff") || id == "signIn" ? "tomakomai-admin" : "sapporo-admin") : "admin") : caller
                let method = HTTPMethod(rawValue: operation.method.uppercased())
                let answer: HTTPSClient.Response
                switch request?.value {
                case let text as String:
                    answer = try await edge.call(caller, node, method, path, text: text, contentType: request?.type, bearer: bearer)
                case let value?: answer = try await edge.call(caller, node, method, path, json: value, bearer: bearer)
                case nil: answer = try await edge.call(caller, node, method, path, bearer: bearer)
                }
                let status = try #require(Self.successStatus(operation))
                #expect("\(answer.status)" == status, "\(id): \(answer.text.prefix(400))")
                let response = Self.resolve((operation.object["responses"] as? [String: Any])?[status], in: document)
                if let media = (response["content"] as? [String: Any])?["application/json"] as? [String: Any] {
                    let live = try JSONSerialization.jsonObject(with: Data(answer.body))
                    #expect(Self.problems(live, media["schema"], document, at: "\(id) live answer") == [])
                }
                return answer
            }
            for id in ["getOpenAPI", "listErrors", "acquireLinkCode", "searchRecords", "postXML", "runBatch", "verify"] { try await send(id) }
            let inquired = try await send("inquire")
            try await send("getInquiry", values: ["receptionNumber": try #require(inquired.json["receptionNumber"] as? String)])
            try await send("registerDuplicates", as: "sapporo/zei")
            // Reading 副本 is for a member of staff: 札幌市's user01 is given an API token.
            let token = try await edge.call("sapporo-admin", "admin", .POST, "/admin/staff/sapporo/user01/tokens")
            let read = try await send("readDuplicates", as: "sapporo/zei", bearer: try #require(token.json["secret"] as? String, "\(token.text)"))
            #expect((read.json["records"] as? [[String: Any]])?.contains { $0["recordKey"] as? String == "2019" } == true, "\(read.text)")
            try await send("deleteDuplicate", as: "sapporo/zei")

            let fault = try await send("addFault")
            try await send("listFaults")
            try await send("removeFault", values: ["id": try #require(fault.json["id"] as? String)])
            try await send("addFault")
            try await send("clearFaults")

            // The queue examples need an inquiry waiting for staff: the flag example makes one.
            try await send("setFlag")
            for resolution in ["provideQueued", "withholdQueued"] {
                let queued = try await edge.call(
                    "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry("1000002", information: "TAX"))
                #expect(queued.json["status"] as? String == "awaiting_manual", "\(queued.text)")
                try await send("queue")
                try await send(resolution, values: ["receptionNumber": try #require(queued.json["receptionNumber"] as? String)])
            }
            // Staff: the account the sign-in example uses is made, given its password, signed in and out.
            try await send("putStaff")
            try await send("listStaff")
            try await send("resetStaffPassword")
            let session = try await send("signIn")
            try await send("signOut", bearer: try #require(session.json["token"] as? String, "\(session.text)"))
            try await send("issueStaffToken")
            try await send("disableStaff")

            try await send("journal")
            try await send("getStatus")
            try await send("listScenarios")
            try await send("uploadScenario")
            try await send("reset")
        }
        #expect(sent == Set(operations.keys), "not sent: \(Set(operations.keys).subtracting(sent).sorted())")
    }
}
