import Crypto
import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI
import RenkeiStore
import RenkeiTestSupport
import RenkeiWire
import Testing

@Suite("Keys by purpose", .queuedTimeLimit)
struct PurposeKeyTests {
    /// 苫小牧市 国保 asks 札幌市 about a mover under item 42: what a stored 符号 must still open for.
    static func askAboutMover(_ net: TestNetwork) async throws -> (InquiryResult, MyNumber) {
        let sapporo = try net.organization("sapporo")
        let (entry, mover) = try net.person(of: "tomakomai") { entry, person in
            person.formerCity == "sapporo" && entry.linkCodeAcquired && net.hasLinkCode("sapporo", serial: person.serial)
        }
        let client = try net.client(as: "tomakomai/kokuho", to: "atena-tomakomai")
        defer { Task { await client.shutdown() } }
        var request = AddresseeInquiryRequest()
        request.person = .addressNumber(entry.addressNumber.rawValue)
        request.question = query(item: "42", provider: sapporo, information: "TM00000000000002")
        return (try await client.call(Methods.addresseeInquire, request, deadline: deadline()), mover.myNumber)
    }

    @Test(
        "past the certificates' end on the simulation clock the TLS certificates are renewed with new keys; stored 符号 still open, old checkpoints still verify, the portal view still finds the person"
    )
    func renewalKeepsPurposeKeys() async throws {
        try await withScratchDirectory("data") { data in
            try await withScratchDirectory("certs") { certificates in
                let pki = PKIDirectory(url: certificates)
                let (myNumber, firstTLSKey, linkCodeSecret) = try await withTestNetwork(data: data, pki: pki) {
                    net throws -> (MyNumber, [UInt8], [UInt8]) in
                    let (result, myNumber) = try await Self.askAboutMover(net)
                    #expect(result.outcome == .provided)
                    return (
                        myNumber, Array(try pki.credentials(for: "nws").privateKey.rawRepresentation),
                        try pki.keys.secret("nws", .linkCode).withUnsafeBytes { Array($0) }
                    )
                }
                let later = SimulationClock(offset: .seconds(400 * 86_400))
                try await withTestNetwork(seed: false, data: data, pki: pki, clock: later) { net in
                    // Renewed: a new TLS key, valid on the simulation date.
                    let renewed = try pki.credentials(for: "nws")
                    #expect(Array(renewed.privateKey.rawRepresentation) != firstTLSKey)
                    #expect(renewed.certificate.notValidAfter > later.now)
                    #expect(try pki.keys.secret("nws", .linkCode).withUnsafeBytes { Array($0) } == linkCodeSecret)
                    // The 符号 stored at the tenants before the renewal still open at the network system.
                    let (result, _) = try await Self.askAboutMover(net)
                    #expect(result.outcome == .provided)
                    let portal = try await RecordViews(topology: net.topology, dataDirectory: data, pki: pki).portal(myNumber: myNumber)
                    #expect(portal.count >= 2, "the exchanges before and after the renewal are in the person's view")
                }
                // Checkpoints signed before and after the renewal verify with the one checkpoint key.
                for node in try Repository.defaultTopology().nodes.map(\.name) {
                    let key = try pki.keys.publicKey(node, .checkpoint)
                    let report = try StoreReader(url: NodeFiles.store(node, in: data)).verifyAudit(with: AuditVerifier(node: node, key: key)).get()
                    // The nodes the exchanges went through signed checkpoints in both runs.
                    if ["nws", "ms-municipal", "atena-tomakomai"].contains(node) {
                        #expect(report.checkpoints >= 2, "\(node): \(report.checkpoints) checkpoints")
                    }
                }
            }
        }
    }

    @Test("a purpose key that was made once and is lost stops the start with KEY_MISSING naming the file; no new key is made")
    func lostKeyIsNotReplaced() async throws {
        try await withScratchDirectory("certs") { certificates in
            let pki = PKIDirectory(url: certificates)
            let topology = try Repository.defaultTopology()
            try pki.ensure(topology.certificateSubjects)
            let secret = pki.keys.file("nws", .linkCode)
            try FileManager.default.removeItem(at: secret)
            do throws(RenkeiError) {
                try pki.ensure(topology.certificateSubjects)
                Issue.record("a lost 符号 secret was replaced")
            } catch {
                #expect(error.code == .keyMissing)
                #expect(error.message.contains(secret.path), "\(error.message)")
            }
            #expect(!FileManager.default.fileExists(atPath: secret.path))
        }
    }

    @Test("on a PKI from before purpose keys the checkpoint key and the 符号 secret start as the TLS key that made them; the permit key is new")
    func legacyKeysCarryOver() async throws {
        try await withScratchDirectory("certs") { certificates in
            let pki = PKIDirectory(url: certificates)
            let topology = try Repository.defaultTopology()
            try pki.ensure(topology.certificateSubjects)
            let freshSecret = try pki.keys.secret("nws", .linkCode).withUnsafeBytes { Array($0) }
            let tlsKey = try pki.credentials(for: "nws").privateKey
            #expect(freshSecret != Array(tlsKey.rawRepresentation), "a new PKI's secret is its own")
            // As a PKI made before purpose keys: certificates only.
            try FileManager.default.removeItem(at: pki.keys.url)
            let report = try pki.ensure(topology.certificateSubjects)
            #expect(report.keysMade.contains("nws.link-code"))
            #expect(try pki.keys.secret("nws", .linkCode).withUnsafeBytes { Array($0) } == Array(tlsKey.rawRepresentation))
            #expect(try pki.keys.publicKey("nws", .checkpoint).rawRepresentation == tlsKey.publicKey.rawRepresentation)
            #expect(try pki.keys.publicKey("nws", .permit).rawRepresentation != tlsKey.publicKey.rawRepresentation)
        }
    }
}
