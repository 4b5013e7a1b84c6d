import Foundation
import RenkeiCore
import RenkeiPKI
import RenkeiTestSupport
import Testing

@Suite("Development PKI", .timeLimit(.minutes(3)))
struct PKITests {
    func scratch() throws -> URL { try scratchDirectory("pki") }

    @Test("the certificate subject carries name, role and 機関コード, and reads back as the identity")
    func subjectRoundTrip() throws {
        let code = try OrganizationCode("0101213100000000")
        let credentials = try TestPKI().credentials("tomakomai/kokuho", role: .businessSystem, organizationCode: code)
        #expect(credentials.identity == PeerIdentity(name: "tomakomai/kokuho", role: .businessSystem, organizationCode: code))
        let node = try TestPKI().credentials("nws", role: .networkSystem)
        #expect(node.identity.organizationCode == nil)
        #expect(node.identity.role == .networkSystem)
    }

    @Test("ensure makes what is missing, keeps what matches, and reissues what no longer matches")
    func ensure() throws {
        let directory = PKIDirectory(url: try scratch())
        let first = try directory.ensure([CertificateSubject(name: "nws", role: .networkSystem), CertificateSubject(name: "admin", role: .admin)])
        #expect(first.createdAuthority)
        #expect(first.issued == ["nws", "admin"])
        let second = try directory.ensure([
            CertificateSubject(name: "nws", role: .networkSystem), CertificateSubject(name: "admin", role: .addressSystem),
        ])
        #expect(!second.createdAuthority)
        #expect(second.kept == ["nws"])
        #expect(second.issued == ["admin"], "a changed role gets a new certificate")
        #expect(try directory.credentials(for: "admin").identity.role == .addressSystem)
    }

    @Test("a key that does not belong to its certificate is refused with a clear error")
    func mismatchedKey() throws {
        let url = try scratch()
        let directory = PKIDirectory(url: url)
        try directory.ensure([CertificateSubject(name: "a", role: .admin), CertificateSubject(name: "b", role: .admin)])
        try FileManager.default.removeItem(at: url.appendingPathComponent("a.key"))
        try FileManager.default.copyItem(at: url.appendingPathComponent("b.key"), to: url.appendingPathComponent("a.key"))
        #expect(throws: RenkeiError.self) { try directory.credentials(for: "a") }
        do {
            _ = try directory.credentials(for: "missing")
            Issue.record("credentials for a missing holder")
        } catch {
            #expect(error.message.contains("renkei certs generate"))
        }
    }
}
