import Foundation
import Hummingbird
import NIOHTTP1
import OpenAPIKit
import RenkeiEdge
import RenkeiTestSupport
import Testing
import Yams

@Suite("OpenAPI document", .queuedTimeLimit)
struct OpenAPITests {
    @Test("the committed document parses as OpenAPI 3.1, is the one served, and lists every route the edges serve")
    func everyRouteIsDocumented() async throws {
        let text = try String(contentsOf: Repository.root.appendingPathComponent("Sources/RenkeiEdge/openapi.yaml"), encoding: .utf8)
        let document = try YAMLDecoder().decode(OpenAPI.Document.self, from: text)
        #expect(document.openAPIVersion == .v3_1_0)

        try await withEdge { edge in
            let served = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .GET, "/openapi.yaml")
            #expect(served.text == text)

            var documented = Set<String>()
            for (path, item) in document.paths {
                guard case let .b(pathItem) = item else { continue }
                for endpoint in pathItem.endpoints { documented.insert("\(endpoint.method.rawValue.uppercased()) \(path.rawValue)") }
            }
            #expect(edge.routes.count > 20)
            for route in Set(edge.routes) {
                #expect(documented.contains(route), "\(route) is served but not documented")
            }
        }
    }
}
