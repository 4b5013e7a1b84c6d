import Benchmark
import Crypto
import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiWire

/// The pieces of one inquiry, each alone: what the nodes pay per request for the message
/// format, the 別表第二 check, the 情報提供許可証 and 符号変換. Audit append is in
/// StoreBenchmarks, where the group commit that carries it is measured. Each one starts
/// measuring after its set-up (loading the rule table alone is milliseconds).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .kilo, maxDuration: .seconds(5))

    // The messages as the nodes send them: the domain value converted to its protobuf message
    // and encoded, and back (RenkeiWire's WireConvertible).
    Benchmark("encode ProvisionRequest (NWS → provider)") { benchmark in
        let request = try Sample.provisionRequest()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try request.encoded()) }
    }

    Benchmark("decode ProvisionRequest (NWS → provider)") { benchmark in
        let bytes = try Sample.provisionRequest().encoded()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try ProvisionRequest(encoded: bytes)) }
    }

    Benchmark("encode + decode InquiryResult with one 副本") { benchmark in
        let result = try Sample.inquiryResult()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try InquiryResult(encoded: try result.encoded()))
        }
    }

    Benchmark("rule check, 別表第二 item 42 permitted") { benchmark in
        let rules = try RuleTable.load(from: Sample.repository.appendingPathComponent("config/rules/beppyo2-2015.yaml"))
        let item = try ItemNumber("42")
        // A city's kinds, as the topology holds them for each organisation.
        let city: Set<String> = ["市町村長", "医療保険者"]
        let decision = rules.check(item: item, inquirerKinds: city, providerKinds: city, information: "地方税関係情報")
        guard case .permitted = decision else { throw BenchmarkSetupError("item 42 should permit 市町村長 → 市町村長 地方税関係情報: \(decision)") }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(rules.check(item: item, inquirerKinds: city, providerKinds: city, information: "地方税関係情報"))
        }
    }

    Benchmark("rule check, 別表第二 item 45 denied") { benchmark in
        let rules = try RuleTable.load(from: Sample.repository.appendingPathComponent("config/rules/beppyo2-2015.yaml"))
        let item = try ItemNumber("45")
        let city: Set<String> = ["市町村長", "医療保険者"]
        let provider: Set<String> = ["市町村長"]
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(rules.check(item: item, inquirerKinds: city, providerKinds: provider, information: "年金給付関係情報"))
        }
    }

    let signingKey = P256.Signing.PrivateKey()
    Benchmark("permit issue + verify, ECDSA P-256 signature") { benchmark in
        let claims = Sample.permitClaims()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let permit = try Permit.issue(claims, sealedWith: .signature(signingKey))
            blackHole(try Permit.verify(permit, with: .signature(signingKey.publicKey), now: claims.issuedAtMicros))
        }
    }

    Benchmark("permit issue + verify, HMAC-SHA256 under the agreed key") { benchmark in
        let providerKey = P256.Signing.PrivateKey()
        let key = try Permit.macKey(own: signingKey, peer: providerKey.publicKey, networkSystem: "nws", intermediateServer: "ms-municipal")
        let claims = Sample.permitClaims()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let permit = try Permit.issue(claims, sealedWith: .mac(key))
            blackHole(try Permit.verify(permit, with: .mac(key), now: claims.issuedAtMicros))
        }
    }

    Benchmark("符号変換 (open the inquirer's 符号, seal the provider's)") { benchmark in
        let cipher = LinkCodeCipher(secret: SymmetricKey(size: .bits256))
        let inquirer = try OrganizationCode("0101213100000000")
        let provider = try OrganizationCode("0101100200000000")
        let inquirerCode = cipher.linkCode(
            identity: cipher.identityCode(for: ResidentCode(body: [1, 2, 3, 4, 5, 6, 7, 8, 9, 0])), organization: inquirer)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let opened = try cipher.open(inquirerCode)
            blackHole(cipher.linkCode(identity: opened.identity, organization: provider))
        }
    }
}

struct BenchmarkSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Messages the size and shape of the seed inquiry (苫小牧市 国保 asks 札幌市 for 地方税関係情報).
enum Sample {
    /// The repository root, found from this file so the benchmark runs from any directory.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func query() -> InquiryQuestion {
        var query = InquiryQuestion()
        query.item = "42"
        query.procedureCode = "JT90420000000001"
        query.informationCode = "TM00000000000002"
        query.provider = "0101100200000000"
        query.fiscalYear = "2025"
        return query
    }

    static func permitClaims() -> PermitClaims {
        var claims = PermitClaims()
        claims.permitID = Data((0..<16).map { UInt8($0) })
        claims.receptionNumber = "R0000000000000001"
        claims.inquirer = "0101213100000000"
        claims.provider = "0101100200000000"
        claims.providerLinkCode = String(repeating: "A", count: 80)
        claims.item = "42"
        claims.procedureCode = "JT90420000000001"
        claims.informationCode = "TM00000000000002"
        claims.issuedAtMicros = 1_790_000_000_000_000
        claims.expiresAtMicros = claims.issuedAtMicros + 30_000_000
        return claims
    }

    static func provisionRequest() throws -> ProvisionRequest {
        var request = ProvisionRequest()
        request.receptionNumber = "R0000000000000001"
        request.inquirer = "0101213100000000"
        request.provider = "0101100200000000"
        request.providerLinkCode = String(repeating: "A", count: 80)
        request.question = query()
        request.permit = try Permit.issue(permitClaims(), sealedWith: .signature(P256.Signing.PrivateKey()))
        request.requestedAtMicros = 1_790_000_000_000_000
        return request
    }

    static func inquiryResult() throws -> InquiryResult {
        let record = DuplicateRecord(
            informationCode: try InformationCode("TM00000000000002"), dataSet: "0001", recordKey: "2025", version: 1, publicationDate: nil,
            endDate: nil, items: (1...12).map { DuplicateRecord.Item(code: String(format: "TI%04d", $0), value: "123400") }
        )
        var result = InquiryResult()
        result.receptionNumber = "R0000000000000001"
        result.inquirer = "0101213100000000"
        result.provider = "0101100200000000"
        result.question = query()
        result.outcome = .provided
        result.status = .completed
        result.requestedAtMicros = 1_790_000_000_000_000
        result.providedAtMicros = result.requestedAtMicros + 4_000
        result.recordSet = EncodedRecords([record])
        return result
    }
}
