import Foundation
import RenkeiEdge
import Testing

@Suite("Interop with a TLS stack renkei did not write")
struct InteropTests {
    @Test("curl with the system OpenSSL makes an inquiry with a client certificate; without one it is refused")
    func curl() async throws {
        let edge = try await EdgeHarness.start()
        let mover = try #require(edge.movers().first)
        let endpoint = try #require(edge.edges["atena-tomakomai"])
        let certificates = edge.certificates.path
        func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["curl", "--silent", "--show-error", "--max-time", "20"] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: output, as: UTF8.self))
        }
        let body = #"{"addressNumber":"\#(mover)","item":"42","provider":"sapporo","information":"TAX"}"#
        let answered = try run([
            "--cacert", "\(certificates)/ca.crt", "--cert", "\(certificates)/tomakomai_kokuho.crt", "--key", "\(certificates)/tomakomai_kokuho.key",
            "-H", "Content-Type: application/json", "--data", body, "https://\(endpoint.host):\(endpoint.port)/v1/inquiries",
        ])
        #expect(answered.status == 0, "\(answered.output)")
        let json = try JSONSerialization.jsonObject(with: Data(answered.output.utf8)) as? [String: Any]
        #expect(json?["outcome"] as? String == "provided")

        let refused = try run(["--cacert", "\(certificates)/ca.crt", "https://\(endpoint.host):\(endpoint.port)/openapi.yaml"])
        #expect(refused.status != 0, "a client without a certificate is refused at the handshake")
        await edge.stop()
    }
}
