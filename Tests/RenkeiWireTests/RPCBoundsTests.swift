import Foundation
import NIOCore
import NIOPosix
import RenkeiCore
import RenkeiPKI
import RenkeiTestSupport
import Testing

@testable import RenkeiWire

/// What a peer can make a node hold is bounded (issue 9): answers, requests in flight, time
/// to finish the handshake; and a body with fields the node does not know is refused.
@Suite("RPC bounds", .timeLimit(.minutes(3)))
struct RPCBoundsTests {
    @Test("an answer over the frame limit fails that request with ANSWER_TOO_LARGE; the shared connection stays open")
    func answerTooLarge() async throws {
        try await WireHarness.with(maximumFrameBytes: 4_096) { harness in
            let client = try harness.client(connections: 1)
            async let waiting = client.call(Echo.blocked, ping("shares the connection"), deadline: inSeconds(20))
            await harness.gate.waitForArrivals(1)
            do throws(RenkeiError) {
                _ = try await client.call(Echo.grow, ping("10000"), deadline: inSeconds(30))
                Issue.record("an answer over the limit was sent")
            } catch {
                #expect(error.code == .answerTooLarge, "\(error)")
                #expect(error.message.contains("test.grow"))
            }
            harness.gate.open()
            #expect(try await waiting.text == "shares the connection", "the request in flight on the same connection was answered")
            #expect(try await client.call(Echo.grow, ping("100"), deadline: inSeconds(30)).text.count == 100)
            #expect(harness.observer.state.withLock(\.accepted).count == 1, "no reconnection was needed")
            await client.shutdown()
        }
    }

    @Test("requests in flight on one connection are bounded: the one past the limit is refused with OVERLOADED")
    func perConnection() async throws {
        try await WireHarness.with(configure: { $0.maximumInFlightPerConnection = 4 }) { harness in
            let client = try harness.client(connections: 1)
            let blocked = (0..<4).map { index in Task { try await client.call(Echo.blocked, ping(String(index)), deadline: inSeconds(20)) } }
            await harness.gate.waitForArrivals(4)
            do throws(RenkeiError) {
                _ = try await client.call(Echo.echo, ping("fifth"), deadline: inSeconds(30))
                Issue.record("a fifth request was taken")
            } catch {
                #expect(error.code == .overloaded, "\(error)")
            }
            harness.gate.open()
            for task in blocked { _ = try await task.value }
            #expect(try await client.call(Echo.echo, ping("after"), deadline: inSeconds(30)).text == "after")
            await client.shutdown()
        }
    }

    @Test("requests in flight from one peer are bounded across its connections")
    func perPeer() async throws {
        try await WireHarness.with(configure: { $0.maximumInFlightPerPeer = 3 }) { harness in
            let client = try harness.client(connections: 2)
            let blocked = (0..<3).map { index in Task { try await client.call(Echo.blocked, ping(String(index)), deadline: inSeconds(20)) } }
            await harness.gate.waitForArrivals(3)
            var refused = 0
            for index in 0..<2 {
                do throws(RenkeiError) { _ = try await client.call(Echo.echo, ping("more \(index)"), deadline: inSeconds(30)) } catch {
                    #expect(error.code == .overloaded, "\(error)")
                    refused += 1
                }
            }
            #expect(refused == 2, "on either connection, the peer is at its limit")
            harness.gate.open()
            for task in blocked { _ = try await task.value }
            await client.shutdown()
        }
    }

    @Test("a connection that never completes its TLS handshake is closed and recorded")
    func handshakeTimeout() async throws {
        try await WireHarness.with(configure: { $0.handshakeTimeout = .milliseconds(200) }) { harness in
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: harness.server.address.port).get()
            var refusals = harness.observer.refusals.makeAsyncIterator()
            let reason = await refusals.next()
            #expect(reason?.contains("no TLS handshake within") == true, "\(reason ?? "none")")
            try await channel.closeFuture.get()
            #expect(!channel.isActive)
        }
    }

    @Test("a body with a field the method's message does not have is refused with MALFORMED_MESSAGE")
    func unknownField() async throws {
        try await WireHarness.with { harness in
            let client = try harness.client()
            // Ping.text = "a", then field 99 (varint 1), which no Ping has.
            let body = Data([0x0A, 0x01, 0x61, 0x98, 0x06, 0x01])
            do throws(RenkeiError) {
                _ = try await client.call(raw: Echo.echo.name, body: body, deadline: inSeconds(30))
                Issue.record("a body with an unknown field was accepted")
            } catch {
                #expect(error.code == .malformedMessage, "\(error)")
                #expect(error.message.contains("does not have"))
            }
            await client.shutdown()
        }
    }
}
