import Foundation
import Logging
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiEdge
import RenkeiNodes
import RenkeiPKI
import RenkeiStore
import RenkeiTestSupport
import RenkeiWire
import Testing

/// Issue 12 §4: certificates with a life cycle — revocation at the handshake and on open
/// connections, expiry on the simulation clock, and the peer's role checked in the handshake.
@Suite("Certificates that can be revoked", .queuedTimeLimit)
struct RevocationTests {
    static func tlsRefusals(_ edge: EdgeHarness) -> [DecisionJournal.Entry] {
        var filter = DecisionJournal.Filter()
        filter.interface = .tls
        filter.failuresOnly = true
        return edge.network.control.journal.entries(filter)
    }

    /// Waits (bounded) until `condition` holds: for an effect another task makes, not a guess at time.
    static func eventually(within seconds: Double = 30, _ condition: () async throws -> Bool) async throws -> Bool {
        try await RenkeiTestSupport.eventually(within: seconds) { try await condition() ? true : nil } ?? false
    }

    @Test("a revoked business system: its open connection is closed, its next handshake refused, on the wire and at the edge")
    func revocation() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            let client = try LinkageClient.connect(
                as: "tomakomai/kokuho", topology: edge.topology, credentials: edge.network.pki.credentials(for: "tomakomai/kokuho"),
                logger: Logger(label: "test")
            ) { edge.network.endpoints.endpoint($0) }
            let question = try InquiryQuestion(item: "42", provider: "sapporo", information: "TAX", user: "user01", topology: edge.topology)
            let first = try await client.inquire(.addressNumber(mover), question, deadline: .now() + .seconds(10))
            #expect(first.outcome == .provided, "the connection is open and serving")

            let entry = try edge.network.pki.revoke("tomakomai/kokuho", reason: "key compromise (test)")
            #expect(try edge.network.pki.revocations().map(\.serial) == [entry.serial])

            // The open connection is closed by the AddressSystem within a second, and says why.
            let store = try #require(edge.network.stores["atena-tomakomai"])
            let closed = try await Self.eventually {
                try await store.auditEvents().contains {
                    $0.kind == .connectionRefused && $0.detail.contains("open connection closed: the certificate of tomakomai/kokuho")
                        && $0.detail.hasSuffix("is revoked")
                }
            }
            #expect(closed, "the open connection was closed for the revocation")
            // Every later request fails: the connection is gone and a new handshake is refused.
            do throws(RenkeiError) {
                let late = try await client.inquire(.addressNumber(mover), question, deadline: .now() + .seconds(5))
                Issue.record("a revoked system was answered: \(late.outcome)")
            } catch {
                // Refused: which code the client sees (reset, unclean close) depends on timing; the
                // node's audit above says exactly what happened.
            }
            await client.shutdown()

            // At the HTTPS edge the handshake is refused and the journal says why, with the exact code.
            do {
                let answer = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover))
                Issue.record("the edge answered a revoked system: \(answer.status)")
            } catch {}
            let refusals = Self.tlsRefusals(edge)
            let revoked = refusals.first { $0.code == "CERTIFICATE_REVOKED" }
            #expect(
                revoked?.message?.hasPrefix("the HTTPS edge of atena-tomakomai refused the TLS handshake: the certificate of tomakomai/kokuho")
                    == true,
                "\(refusals.map { "\($0.code ?? "") \($0.message ?? "")" })")

            // Other systems go on; a new certificate for the revoked one works again.
            let zei = try await edge.call("tomakomai/zei", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover, item: "27"))
            #expect(zei.status == 200, "\(zei.text)")
            let report = try edge.network.pki.ensure(edge.topology.certificateSubjects)
            #expect(report.issued == ["tomakomai/kokuho"], "only the revoked certificate is issued anew: \(report.issued)")
            let again = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover))
            #expect(again.status == 200, "\(again.text)")
        }
    }

    @Test(
        "with the simulation clock 400 days on, the nodes' certificates are renewed at start; one issued on today's date has ended, and its handshake is refused with CERTIFICATE_EXPIRED"
    )
    func expiryOnTheSimulationClock() async throws {
        try await withEdge(clock: SimulationClock(offset: .seconds(400 * 86_400))) { edge in
            let nodeCertificate = try edge.network.pki.certificate(for: "atena-tomakomai")
            #expect(nodeCertificate.notValidAfter > edge.network.clock.now)
            // The business system's certificate issued again on the real date: valid for a year
            // from today, which the simulation date has passed.
            let subject = try #require(edge.network.topology.certificateSubjects.first { $0.name == "tomakomai/kokuho" })
            try FileManager.default.removeItem(at: edge.network.pki.url.appendingPathComponent("tomakomai_kokuho.crt"))
            #expect(try edge.network.pki.ensure([subject], now: Date()).issued == ["tomakomai/kokuho"])
            do {
                let answer = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry("1000001"))
                Issue.record("an expired certificate was answered: \(answer.status)")
            } catch {}
            let refusals = Self.tlsRefusals(edge)
            let expired = refusals.first { $0.code == "CERTIFICATE_EXPIRED" }
            #expect(expired?.message?.contains("the certificate of tomakomai/kokuho expired at ") == true, "\(refusals.map { $0.message ?? "" })")
        }
    }

    @Test(
        "a client checks the server's role as well as its name: a certificate named ms-municipal but issued as a business system fails the handshake")
    func roleIsChecked() async throws {
        try await withEdge { edge in
            // An impostor with a genuine certificate from the same CA, for the name but not the role.
            let impostorDirectory = try scratchDirectory("impostor")
            for file in ["ca.crt", "ca.key"] {
                try FileManager.default.copyItem(
                    at: edge.network.pki.url.appendingPathComponent(file), to: impostorDirectory.appendingPathComponent(file))
            }
            let impostorPKI = PKIDirectory(url: impostorDirectory)
            try impostorPKI.ensure([CertificateSubject(name: "ms-municipal", role: .businessSystem)])
            var router = RPCRouter()
            router.register(Methods.ping) { request, _ in request }
            let server = try await RPCServer.start(
                configuration: .init(listen: try Endpoint("127.0.0.1:0")), credentials: impostorPKI.credentials(for: "ms-municipal"), router: router,
                observer: nil, logger: Logger(label: "test"))
            let client = try RPCClient(
                configuration: .init(target: server.address, expectedPeer: "ms-municipal", expectedRole: .intermediateServer),
                credentials: edge.network.pki.credentials(for: "atena-tomakomai"), logger: Logger(label: "test"))
            do throws(RenkeiError) {
                _ = try await client.call(Methods.ping, Ping(text: "hello"), deadline: .now() + .seconds(5))
                Issue.record("the client spoke to an impostor")
            } catch {
                #expect(error.code == .unauthenticated, "\(error)")
                #expect(
                    error.message.hasSuffix("presented a certificate for ms-municipal as business-system, not as intermediate-server"),
                    "\(error.message)")
            }
            await client.shutdown()
            await server.stop()
        }
    }
}
