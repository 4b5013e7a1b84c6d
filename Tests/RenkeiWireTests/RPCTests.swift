import Foundation
import NIOCore
import RenkeiCore
import RenkeiPKI
import RenkeiTestSupport
import Testing

@testable import RenkeiWire

@Suite("RPC over mutual TLS", .timeLimit(.minutes(3)))
struct RPCTests {
    @Test("thousands of concurrent requests on one connection each get their own answer")
    func multiplexing() async throws {
        try await WireHarness.with { harness in
            let client = try harness.client(connections: 1)
            let count = 5_000
            let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let answer = try await client.call(Echo.echo, ping(String(index)), deadline: inSeconds(30))
                        return answer.text == String(index) ? 0 : 1
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(mismatches == 0)
            #expect(harness.observer.state.withLock(\.accepted) == ["client"], "one connection carried every request")
            await client.shutdown()
        }
    }

    @Test("the server knows the caller from its certificate")
    func identityFromCertificate() async throws {
        try await WireHarness.with { harness in
            let code = try OrganizationCode("0101213100000000")
            let client = try harness.client(credentials: harness.pki.credentials("tomakomai/kokuho", role: .businessSystem, organizationCode: code))
            let answer = try await client.call(Echo.whoami, ping(""), deadline: inSeconds(30))
            #expect(answer.text == "tomakomai/kokuho|business-system|0101213100000000")
            await client.shutdown()
        }
    }

    @Test("a request past its deadline fails with DEADLINE_EXCEEDED naming the node and its address, and others still work")
    func deadline() async throws {
        try await WireHarness.with { harness in
            let client = try harness.client()
            await #expect(throws: RenkeiError.self) {
                _ = try await client.call(Echo.blocked, ping("x"), deadline: .now() + .milliseconds(200))
            }
            do throws(RenkeiError) {
                _ = try await client.call(Echo.blocked, ping("x"), deadline: .now() + .milliseconds(100))
                Issue.record("a blocked call returned")
            } catch {
                #expect(error.code == .deadlineExceeded)
                // Sent and unanswered, or (on a busy machine) not sent in time: either way the node and its address are named.
                #expect(error.message.contains("test.blocked to server at \(harness.server.address)"), "\(error.message)")
            }
            let answer = try await client.call(Echo.echo, ping("after"), deadline: inSeconds(30))
            #expect(answer.text == "after")
            harness.gate.open()
            await client.shutdown()
        }
    }

    @Test("a body that does not decode fails only that request")
    func malformedBody() async throws {
        try await WireHarness.with { harness in
            let client = try harness.client()
            async let good = client.call(Echo.echo, ping("good"), deadline: inSeconds(30))
            do throws(RenkeiError) {
                _ = try await client.call(raw: Echo.echo.name, body: Data([0xFF, 0xFF, 0xFF]), deadline: inSeconds(30))
                Issue.record("a malformed body was accepted")
            } catch {
                #expect(error.code == .malformedMessage)
                #expect(error.message.contains("renkei.v1.Ping"))
            }
            #expect(try await good.text == "good")
            #expect(try await client.call(Echo.echo, ping("again"), deadline: inSeconds(30)).text == "again")
            await client.shutdown()
        }
    }

    @Test("an unknown method is refused with UNKNOWN_METHOD")
    func unknownMethod() async throws {
        try await WireHarness.with { harness in
            let client = try harness.client()
            do throws(RenkeiError) {
                _ = try await client.call(RPCMethod<Ping, Ping>("no.such"), ping(""), deadline: inSeconds(30))
                Issue.record("an unknown method answered")
            } catch {
                #expect(error.code == .unknownMethod)
            }
            await client.shutdown()
        }
    }

    @Test("a frame over the server's limit is refused, logged, and the next call reconnects")
    func oversizedFrame() async throws {
        try await WireHarness.with(maximumFrameBytes: 4_096) { harness in
            let client = try harness.client(maximumFrameBytes: 1 << 20)
            do throws(RenkeiError) {
                _ = try await client.call(Echo.echo, ping(String(repeating: "x", count: 10_000)), deadline: inSeconds(30))
                Issue.record("an oversized frame was accepted")
            } catch {
                #expect(error.code == .frameTooLarge)
                #expect(error.message.contains("4096"))
            }
            #expect(harness.observer.state.withLock(\.framesRejected).first.map { $0 > 10_000 } == true)
            #expect(try await client.call(Echo.echo, ping("small"), deadline: inSeconds(30)).text == "small")
            await client.shutdown()
        }
    }

    @Test("a client refuses to send a frame over its own limit")
    func clientSideLimit() async throws {
        try await WireHarness.with { harness in
            let client = try harness.client(maximumFrameBytes: 2_048)
            do throws(RenkeiError) {
                _ = try await client.call(Echo.echo, ping(String(repeating: "y", count: 4_000)), deadline: inSeconds(30))
                Issue.record("an oversized frame was sent")
            } catch {
                #expect(error.code == .frameTooLarge)
            }
            await client.shutdown()
        }
    }

    @Test("a peer that restarts is reconnected without the caller doing anything")
    func reconnect() async throws {
        // Below the ephemeral range: while the server is down, no outgoing connection takes its port.
        let reserved = try FreePorts.take(1)
        defer { FreePorts.release(reserved) }
        let port = reserved[0].port
        let first = try await WireHarness.start(port: port)
        let client = try first.client(connections: 2)
        #expect(try await client.call(Echo.echo, ping("1"), deadline: inSeconds(30)).text == "1")
        #expect(try await client.call(Echo.echo, ping("2"), deadline: inSeconds(30)).text == "2")
        await first.server.stop()

        let second = try await WireHarness.start(pki: first.pki, port: port)
        for index in 0..<4 {
            #expect(try await client.call(Echo.echo, ping("after-\(index)"), deadline: inSeconds(30)).text == "after-\(index)")
        }
        await client.shutdown()
        await second.server.stop()
    }

    @Test("a call waits for a peer that is down and comes back within the deadline")
    func reconnectWhileDown() async throws {
        // Below the ephemeral range: while the server is down, no outgoing connection takes its port.
        let reserved = try FreePorts.take(1)
        defer { FreePorts.release(reserved) }
        let port = reserved[0].port
        let first = try await WireHarness.start(port: port)
        let client = try first.client()
        #expect(try await client.call(Echo.echo, ping("1"), deadline: inSeconds(30)).text == "1")
        await first.server.stop()
        async let answer = client.call(Echo.echo, ping("while-down"), deadline: inSeconds(20))
        let second = try await WireHarness.start(pki: first.pki, port: port)
        #expect(try await answer.text == "while-down")
        await client.shutdown()
        await second.server.stop()
    }

    @Test("a client with a certificate from another CA is refused at the handshake")
    func foreignCertificate() async throws {
        try await WireHarness.with { harness in
            let stranger = try TestPKI().credentials("client", role: .intermediateServer)
            let client = try harness.client(credentials: stranger)
            do throws(RenkeiError) {
                _ = try await client.call(Echo.echo, ping("hello"), deadline: inSeconds(30))
                Issue.record("a client from another CA was served")
            } catch {
                #expect(error.code == .certificateProblem, "\(error)")
            }
            var refusals = harness.observer.refusals.makeAsyncIterator()
            let reason = await refusals.next()
            #expect(reason?.contains("UNKNOWN_CA") == true || reason?.contains("handshake") == true, "\(reason ?? "none")")
            #expect(harness.observer.state.withLock(\.accepted).isEmpty)
            await client.shutdown()
        }
    }

    @Test("a client refuses a server whose certificate names another node")
    func wrongServerIdentity() async throws {
        try await WireHarness.with { harness in
            let client = try harness.client(expectedPeer: "nws")
            do throws(RenkeiError) {
                _ = try await client.call(Echo.echo, ping("hello"), deadline: inSeconds(30))
                Issue.record("the wrong server was accepted")
            } catch {
                #expect(error.code == .unauthenticated)
                #expect(error.message.contains("not of nws"))
            }
            await client.shutdown()
        }
    }

    /// A server on 127.0.0.2 (loopback, but not an address every certificate carries) with the
    /// certificate `hosts` name, called at that address.
    private func callAt127002(hosts: [String]) async throws -> Result<Ping, RenkeiError> {
        let pki = try TestPKI()
        let server = try await RPCServer.start(
            configuration: .init(listen: Endpoint(host: "127.0.0.2", port: 0), maximumFrameBytes: 1 << 20),
            credentials: try pki.credentials("ms-municipal", role: .intermediateServer, hosts: hosts),
            router: Echo.router(gate: Gate()), observer: RecordingObserver(), logger: WireHarness.logger)
        let client = try RPCClient(
            configuration: .init(target: server.address, expectedPeer: "ms-municipal", connections: 1),
            credentials: try pki.credentials("atena-tomakomai", role: .addressSystem), logger: WireHarness.logger)
        let result: Result<Ping, RenkeiError>
        do throws(RenkeiError) { result = .success(try await client.call(Echo.echo, ping("hello"), deadline: inSeconds(30))) } catch {
            result = .failure(error)
        }
        await client.shutdown()
        await server.stop()
        return result
    }

    @Test("a client refuses a server whose certificate does not name the host it dialled (subjectAltName), and names what it does name")
    func serverCertificateLacksHost() async throws {
        let result = try await callAt127002(hosts: ["10.77.0.2"])
        guard case .failure(let error) = result else {
            Issue.record("a certificate without 127.0.0.2 was accepted")
            return
        }
        #expect(error.code == .unauthenticated)
        #expect(
            error.message.contains(
                "presented the certificate of ms-municipal, which does not name the host 127.0.0.2 (it names localhost, 127.0.0.1, ::1, ms-municipal, 10.77.0.2)"
            ),
            "\(error.message)")
    }

    @Test("a server whose certificate names the dialled host is reached")
    func serverCertificateNamesHost() async throws {
        let result = try await callAt127002(hosts: ["127.0.0.2"])
        #expect(try result.get().text == "hello")
    }
}
