import Crypto
import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiPKI
import RenkeiTestSupport
import RenkeiWire
import Testing

@testable import RenkeiNodes

/// Talks to a provider's 中間サーバー as the network system would, with permits made by the
/// test: only a valid, unexpired, unused permit bound to this exchange is answered.
@Suite("情報提供許可証 at the provider", .networkShare, .queuedTimeLimit)
struct PermitTests {
    struct Exchange {
        let net: TestNetwork
        let client: RPCClient
        let request: ProvisionRequest
        let claims: PermitClaims
        let signingKey: P256.Signing.PrivateKey
        /// The key a MAC-sealed permit for ms-municipal takes, as the network system agrees it.
        let macKey: SymmetricKey

        func sending(_ permit: SealedPermit, receptionNumber: String? = nil) async throws(RenkeiError) -> ProvisionResult {
            var request = self.request
            request.permit = permit
            if let receptionNumber { request.receptionNumber = receptionNumber }
            return try await client.call(Methods.provide, request, deadline: deadline())
        }

        func sign(_ claims: PermitClaims) throws -> SealedPermit {
            try Permit.issue(claims, sealedWith: .signature(signingKey))
        }

        func seal(_ claims: PermitClaims, with key: SymmetricKey? = nil) throws -> SealedPermit {
            try Permit.issue(claims, sealedWith: .mac(key ?? macKey))
        }
    }

    /// A provision request to 札幌市 about a mover from 苫小牧市 under item 42, with claims
    /// that match it; the 符号 is made the way the network system makes it.
    static func exchange(permitProtection: Topology.PermitProtection = .signature, sealContent: Bool = true) async throws -> Exchange {
        let net = try await TestNetwork.start(permitProtection: permitProtection, adjust: { $0.networkSystem.sealContent = sealContent })
        let tomakomai = try net.organization("tomakomai")
        let sapporo = try net.organization("sapporo")
        let (_, mover) = try net.person(of: "tomakomai") { entry, person in
            person.formerCity == "sapporo" && entry.linkCodeAcquired && net.hasLinkCode("sapporo", serial: person.serial)
        }
        let cipher = LinkCodeCipher(secret: try net.pki.keys.secret("nws", .linkCode))
        let nwsPermitKey = try net.pki.keys.signingKey("nws", .permit)
        let linkCode = cipher.linkCode(identity: cipher.identityCode(for: mover.residentCode), organization: sapporo.code)

        var request = ProvisionRequest()
        request.receptionNumber = "R1TEST1"
        request.inquirer = tomakomai.code.rawValue
        request.provider = sapporo.code.rawValue
        request.providerLinkCode = linkCode.rawValue
        request.question = query(item: "42", provider: sapporo, information: "TM00000000000002")
        request.question.procedureCode = net.topology.catalogue.defaultProcedure(for: try ItemNumber("42")).rawValue
        request.requestedAtMicros = SimulationClock().nowMicros()

        var claims = PermitClaims()
        claims.permitID = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
        claims.receptionNumber = request.receptionNumber
        claims.inquirer = request.inquirer
        claims.provider = request.provider
        claims.providerLinkCode = request.providerLinkCode
        claims.item = "42"
        claims.procedureCode = request.question.procedureCode
        claims.informationCode = "TM00000000000002"
        claims.issuedAtMicros = SimulationClock().nowMicros()
        claims.expiresAtMicros = claims.issuedAtMicros + 30_000_000

        let client = try net.client(as: "nws", to: "ms-municipal")
        let serverKey = try net.pki.keys.publicKey("ms-municipal", .permit)
        let macKey = try Permit.macKey(own: nwsPermitKey, peer: serverKey, networkSystem: "nws", intermediateServer: "ms-municipal")
        return Exchange(net: net, client: client, request: request, claims: claims, signingKey: nwsPermitKey, macKey: macKey)
    }

    /// Runs `body` with an exchange and stops its client and network afterwards, also when `body` throws.
    static func withExchange(
        permitProtection: Topology.PermitProtection = .signature, sealContent: Bool = true, _ body: (Exchange) async throws -> Void
    ) async throws {
        let exchange = try await Self.exchange(permitProtection: permitProtection, sealContent: sealContent)
        do {
            try await body(exchange)
        } catch {
            await exchange.client.shutdown()
            await exchange.net.stop()
            throw error
        }
        await exchange.client.shutdown()
        await exchange.net.stop()
    }

    static func expectRefusal(_ code: ErrorCode, _ body: () async throws(RenkeiError) -> ProvisionResult) async {
        do {
            let result = try await body()
            Issue.record("answered with \(result.outcome) instead of \(code)")
        } catch {
            #expect(error.code == code, "\(error)")
        }
    }

    @Test("a valid permit is answered once; the same permit again is refused as reused")
    func singleUse() async throws {
        try await Self.withExchange { exchange in
            let permit = try exchange.sign(exchange.claims)
            let result = try await exchange.sending(permit)
            #expect(result.outcome == .provided)
            #expect(result.recordSetSealed)
            await Self.expectRefusal(.permitReused) { () throws(RenkeiError) in try await exchange.sending(permit) }
        }
    }

    @Test(
        "the 副本 a provider answers travel sealed for the inquiring tenant: the network system sees ciphertext, 苫小牧市 opens them, another tenant or another exchange cannot; with seal_content: false they travel in clear"
    )
    func contentSealed() async throws {
        try await Self.withExchange { exchange in
            let result = try await exchange.sending(try exchange.sign(exchange.claims))
            #expect(result.recordSetSealed)
            #expect(result.recordSet.records.isEmpty, "what the network system relays does not read as 副本")
            let keys = exchange.net.pki.keys
            let tomakomai = try exchange.net.organization("tomakomai").code
            let sapporo = try exchange.net.organization("sapporo").code
            let kyokai = try exchange.net.organization("kyokai-kenpo").code
            let inquirer = try ContentSeals(
                organization: tomakomai, own: try keys.signingKey("tomakomai", .content), peers: [sapporo: try keys.publicKey("sapporo", .content)])
            let opened = EncodedRecords(try inquirer.open(result.recordSet.bytes, from: sapporo, reception: exchange.request.receptionNumber))
            #expect(opened.records.count == 2)
            #expect(throws: RenkeiError.self) { try inquirer.open(result.recordSet.bytes, from: sapporo, reception: "R1OTHER") }
            let other = try ContentSeals(
                organization: kyokai, own: try keys.signingKey("kyokai-kenpo", .content), peers: [sapporo: try keys.publicKey("sapporo", .content)])
            #expect(throws: RenkeiError.self) { try other.open(result.recordSet.bytes, from: sapporo, reception: exchange.request.receptionNumber) }
        }
        try await Self.withExchange(sealContent: false) { exchange in
            let result = try await exchange.sending(try exchange.sign(exchange.claims))
            #expect(!result.recordSetSealed)
            #expect(result.recordSet.records.count == 2)
        }
    }

    @Test("an expired permit is refused")
    func expired() async throws {
        try await Self.withExchange { exchange in
            var claims = exchange.claims
            claims.expiresAtMicros = SimulationClock().nowMicros() - 1_000
            let permit = try exchange.sign(claims)
            await Self.expectRefusal(.permitExpired) { () throws(RenkeiError) in try await exchange.sending(permit) }
        }
    }

    @Test("a tampered permit is refused")
    func tampered() async throws {
        try await Self.withExchange { exchange in
            var permit = try exchange.sign(exchange.claims)
            var claims = exchange.claims
            claims.expiresAtMicros += 3_600_000_000
            permit.claims = try claims.encoded()
            await Self.expectRefusal(.permitInvalid) { () throws(RenkeiError) in try await exchange.sending(permit) }
        }
    }

    @Test("a permit signed by anyone but the network system is refused")
    func forged() async throws {
        try await Self.withExchange { exchange in
            let forged = try Permit.issue(exchange.claims, sealedWith: .signature(P256.Signing.PrivateKey()))
            await Self.expectRefusal(.permitInvalid) { () throws(RenkeiError) in try await exchange.sending(forged) }
        }
    }

    @Test("a permit bound to another inquiry is refused", arguments: ["reception", "information", "linkCode"])
    func boundElsewhere(field: String) async throws {
        try await Self.withExchange { exchange in
            var claims = exchange.claims
            switch field {
            case "reception": claims.receptionNumber = "R1OTHER"
            case "information": claims.informationCode = "TM90000000000002"
            default: claims.providerLinkCode = String(claims.providerLinkCode.reversed())
            }
            let permit = try exchange.sign(claims)
            await Self.expectRefusal(.permitMismatch) { () throws(RenkeiError) in try await exchange.sending(permit) }
        }
    }

    @Test("with permit_protection: mac, the network system's MAC is answered once; another key's MAC, or a signature, is refused")
    func macSealed() async throws {
        try await Self.withExchange(permitProtection: .mac) { exchange in
            // The 中間サーバー agrees the same key from its side of the ECDH.
            let serverSide = try Permit.macKey(
                own: try exchange.net.pki.keys.signingKey("ms-municipal", .permit), peer: try exchange.net.pki.keys.publicKey("nws", .permit),
                networkSystem: "nws", intermediateServer: "ms-municipal")
            #expect(serverSide == exchange.macKey)

            let otherPair = try Permit.macKey(
                own: exchange.signingKey, peer: try exchange.net.pki.keys.publicKey("ms-insurers", .permit),
                networkSystem: "nws",
                intermediateServer: "ms-insurers"
            )
            let wrongKey = try exchange.seal(exchange.claims, with: otherPair)
            let signed = try exchange.sign(exchange.claims)
            await Self.expectRefusal(.permitInvalid) { () throws(RenkeiError) in try await exchange.sending(wrongKey) }
            await Self.expectRefusal(.permitInvalid) { () throws(RenkeiError) in try await exchange.sending(signed) }
            var tampered = try exchange.seal(exchange.claims)
            var longer = exchange.claims
            longer.expiresAtMicros += 3_600_000_000
            tampered.claims = try longer.encoded()
            await Self.expectRefusal(.permitInvalid) { () throws(RenkeiError) in try await exchange.sending(tampered) }

            let permit = try exchange.seal(exchange.claims)
            #expect(try await exchange.sending(permit).outcome == .provided)
            await Self.expectRefusal(.permitReused) { () throws(RenkeiError) in try await exchange.sending(permit) }
        }
    }

    @Test("only the network system may ask a provider")
    func onlyNetworkSystem() async throws {
        try await Self.withExchange { exchange in
            let intruder = try exchange.net.client(as: "atena-sapporo", to: "ms-municipal")
            var request = exchange.request
            request.permit = try exchange.sign(exchange.claims)
            do throws(RenkeiError) {
                _ = try await intruder.call(Methods.provide, request, deadline: deadline())
                Issue.record("an address system obtained a provision")
            } catch {
                #expect(error.code == .peerNotAuthorized)
            }
            await intruder.shutdown()
        }
    }
}
