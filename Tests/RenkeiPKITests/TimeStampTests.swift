import Crypto
import Foundation
import RenkeiCore
import RenkeiPKI
import RenkeiTestSupport
import RenkeiTimeStamp
import Testing

@Suite("RFC 3161 time-stamps on the system OpenSSL")
struct TimeStampTests {
    /// A PKI with a time-stamping authority, and its signer.
    static func authority(_ directory: URL) throws -> (PKIDirectory, TimeStampSigner) {
        let pki = PKIDirectory(url: directory)
        try pki.ensure([CertificateSubject(name: "tsa", role: .timeStampAuthority)])
        let signer = TimeStampSigner(
            certificatePEM: try String(contentsOf: pki.stampingCertificateURL(for: "tsa"), encoding: .utf8),
            keyPEM: try String(contentsOf: pki.keys.file("tsa", .stamping), encoding: .utf8))
        return (pki, signer)
    }

    @Test("a stamp over a checkpoint verifies in renkei and with openssl ts -verify; its time and serial are the authority's")
    func stampVerifies() async throws {
        let openssl = try requireTool("openssl")
        try await withScratchDirectory("tsa") { directory in
            let (pki, signer) = try Self.authority(directory)
            let checkpoint = Array("renkei audit checkpoint v1\nnws\n1000\n...\n".utf8)
            let request = try TimeStampRequest.make(imprint: Array(SHA256.hash(data: checkpoint)), nonce: 42)
            let at = Date(timeIntervalSince1970: 1_796_000_000.25)
            let response = try signer.respond(to: request, serial: 7, at: at)
            let authorityPEM = try String(contentsOf: pki.authorityURL, encoding: .utf8)
            let info = try TimeStampResponse.verify(response, data: checkpoint, authorityPEM: authorityPEM, nonce: 42)
            #expect(info.serial == 7)
            #expect(info.at == 1_796_000_000_250_000)
            #expect(info.policy == TimeStampSigner.policy)
            #expect(info.imprint == Array(SHA256.hash(data: checkpoint)))

            // The independent check: OpenSSL's own command line, over the same files.
            let responseFile = directory.appendingPathComponent("stamp.tsr")
            let dataFile = directory.appendingPathComponent("checkpoint.txt")
            try Data(response).write(to: responseFile)
            try Data(checkpoint).write(to: dataFile)
            let verified = try await runProcess(
                URL(fileURLWithPath: openssl), ["ts", "-verify", "-data", dataFile.path, "-in", responseFile.path, "-CAfile", pki.authorityURL.path])
            #expect(verified.status == 0, "\(verified.output)")
            #expect(verified.output.contains("Verification: OK"), "\(verified.output)")

            // And over other bytes it fails, in both.
            try Data("renkei audit checkpoint v1\nnws\n999\n".utf8).write(to: dataFile)
            let forged = try await runProcess(
                URL(fileURLWithPath: openssl), ["ts", "-verify", "-data", dataFile.path, "-in", responseFile.path, "-CAfile", pki.authorityURL.path])
            #expect(forged.status != 0, "\(forged.output)")
            #expect(throws: RenkeiError.self) {
                try TimeStampResponse.verify(response, data: Array("other".utf8), authorityPEM: authorityPEM)
            }
        }
    }

    @Test("a stamp is refused with TIME_STAMP_INVALID for another nonce, under another CA, or when the bytes are not a response")
    func stampRefusals() async throws {
        try await withScratchDirectory("tsa") { directory in
            let (pki, signer) = try Self.authority(directory)
            let data = Array("checkpoint".utf8)
            let response = try signer.respond(
                to: try TimeStampRequest.make(imprint: Array(SHA256.hash(data: data)), nonce: 1), serial: 1, at: Date())
            let authorityPEM = try String(contentsOf: pki.authorityURL, encoding: .utf8)
            func code(_ body: () throws -> Void) -> ErrorCode? {
                do { try body() } catch let error as RenkeiError { return error.code } catch { return nil }
                return nil
            }
            #expect(code { _ = try TimeStampResponse.verify(response, data: data, authorityPEM: authorityPEM, nonce: 2) } == .timeStampInvalid)
            let other = try scratchDirectory("other-ca")
            defer { try? FileManager.default.removeItem(at: other) }
            let otherPEM = try String(contentsOf: try Self.authority(other).0.authorityURL, encoding: .utf8)
            #expect(code { _ = try TimeStampResponse.verify(response, data: data, authorityPEM: otherPEM) } == .timeStampInvalid)
            #expect(
                code { _ = try TimeStampResponse.verify(Array(response.prefix(40)), data: data, authorityPEM: authorityPEM) } == .timeStampInvalid)
            #expect(code { _ = try TimeStampRequest.imprint(of: [0x30, 0x03, 0x02, 0x01, 0x01]) } == .timeStampInvalid)
            #expect(code { _ = try signer.respond(to: Array(repeating: 0x30, count: 5_000), serial: 2, at: Date()) } == .timeStampInvalid)
        }
    }
}
