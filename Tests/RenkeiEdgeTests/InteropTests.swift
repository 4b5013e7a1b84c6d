import Foundation
import RenkeiEdge
import RenkeiTestSupport
import Testing

@Suite("Interop with a TLS stack renkei did not write", .queuedTimeLimit)
struct InteropTests {
    @Test("curl with the system OpenSSL makes an inquiry with a client certificate; without one it is refused, and the journal shows the refusal")
    func curl() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            let endpoint = try #require(edge.edges["atena-tomakomai"])
            let certificates = edge.certificates.path
            let curl = try requireTool("curl")
            // curl talks to servers in this process: wait for it on a thread of its own, so the
            // servers keep the concurrency pool.
            func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
                try await withCheckedThrowingContinuation { continuation in
                    Thread.detachNewThread {
                        do {
                            let process = Process()
                            process.executableURL = URL(fileURLWithPath: curl)
                            process.arguments = ["--silent", "--show-error", "--max-time", "20"] + arguments
                            let pipe = Pipe()
                            process.standardOutput = pipe
                            process.standardError = pipe
                            try process.run()
                            let output = pipe.fileHandleForReading.readDataToEndOfFile()
                            process.waitUntilExit()
                            continuation.resume(returning: (process.terminationStatus, String(decoding: output, as: UTF8.self)))
                        } catch {
                            continuation.resume(throwing: error)
                        }
                    }
                }
            }
            let body = #"{"addressNumber":"\#(mover)","item":"42","provider":"sapporo","information":"TAX","userId":"user01"}"#
            let answered = try await run([
                "--cacert", "\(certificates)/ca.crt", "--cert", "\(certificates)/tomakomai_kokuho.crt", "--key",
                "\(certificates)/tomakomai_kokuho.key",
                "-H", "Content-Type: application/json", "--data", body, "https://\(endpoint.host):\(endpoint.port)/v1/inquiries",
            ])
            #expect(answered.status == 0, "\(answered.output)")
            let json = try JSONSerialization.jsonObject(with: Data(answered.output.utf8)) as? [String: Any]
            #expect(json?["outcome"] as? String == "provided")

            let refused = try await run(["--cacert", "\(certificates)/ca.crt", "https://\(endpoint.host):\(endpoint.port)/openapi.yaml"])
            #expect(refused.status != 0, "a client without a certificate is refused at the handshake")
            let journal = try await edge.call("admin", "admin", .GET, "/admin/journal?interface=tls&limit=5")
            let entries = try #require(journal.json["entries"] as? [[String: Any]], "\(journal.text)")
            let entry = try #require(entries.first { $0["operation"] as? String == "handshake with the HTTPS edge of atena-tomakomai" }, "\(entries)")
            #expect(entry["code"] as? String == "CERTIFICATE_PROBLEM")
            #expect(entry["outcome"] as? String == "failed")
            #expect((entry["identity"] as? String)?.contains("127.0.0.1") == true, "the remote address: \(entry)")
            let message = try #require(entry["message"] as? String)
            #expect(message.hasPrefix("the HTTPS edge of atena-tomakomai refused the TLS handshake: "), "\(message)")
            #expect(message.contains("certs/ca.crt"), "says what to do: \(message)")
            #expect(message.contains("no client certificate was presented"), "\(message)")
            #expect(!message.contains("/.build/") && !message.contains("OPENSSL_internal"), "\(message)")
        }
    }
}
