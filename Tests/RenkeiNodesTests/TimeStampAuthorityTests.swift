import Crypto
import Foundation
import RenkeiCore
import RenkeiNodes
import RenkeiPKI
import RenkeiStore
import RenkeiTestSupport
import RenkeiTimeStamp
import RenkeiWire
import Testing

@Suite("The time-stamping authority over mutual TLS", .queuedTimeLimit)
struct TimeStampAuthorityTests {
    /// A checkpoint of `node` signed with `key`, and a request over its signed text.
    static func request(node: String, key: P256.Signing.PrivateKey, imprintOf: [UInt8]? = nil) throws -> StampRequest {
        let checkpoint = try AuditCheckpoint.make(
            node: node, size: 3, root: Array(repeating: 1, count: 32), chain: Array(repeating: 2, count: 32), at: 1_800_000_000_000_000, key: key)
        var request = StampRequest()
        request.checkpoint = checkpoint.signed(by: node)
        request.request = try TimeStampRequest.make(imprint: Array(SHA256.hash(data: imprintOf ?? request.checkpoint.signedText)), nonce: 9)
        return request
    }

    static func code(_ body: () async throws -> Void) async -> ErrorCode? {
        do { try await body() } catch let error as RenkeiError { return error.code } catch { return nil }
        return nil
    }

    @Test("a node's own checkpoint is stamped and remembered as its newest; the stamp verifies against the CA")
    func stampsOwnCheckpoint() async throws {
        try await withTestNetwork(seed: false) { net in
            let client = try net.client(as: "ms-municipal", to: "tsa")
            let request = try Self.request(node: "ms-municipal", key: try net.pki.keys.signingKey("ms-municipal", .checkpoint))
            let witnessed = try await client.call(Methods.stamp, request, deadline: deadline())
            #expect(witnessed.checkpoint == request.checkpoint)
            let info = try TimeStampResponse.verify(
                witnessed.response, data: request.checkpoint.signedText,
                authorityPEM: try String(contentsOf: net.pki.authorityURL, encoding: .utf8), nonce: 9)
            #expect(info.serial == witnessed.serial)
            let latest = try await client.call(Methods.latestWitnessed, WitnessQuery(node: "ms-municipal"), deadline: deadline())
            #expect(latest.latest?.serial == witnessed.serial)
            await client.shutdown()
        }
    }

    @Test(
        "refused: another node's checkpoint (PEER_NOT_AUTHORIZED), one not signed with the node's checkpoint key or a request over other bytes (TIME_STAMP_INVALID), a business system (PEER_NOT_AUTHORIZED)"
    )
    func refusals() async throws {
        try await withTestNetwork(seed: false) { net in
            let municipal = try net.client(as: "ms-municipal", to: "tsa")
            let ownKey = try net.pki.keys.signingKey("ms-municipal", .checkpoint)
            let nwsRequest = try Self.request(node: "nws", key: try net.pki.keys.signingKey("nws", .checkpoint))
            #expect(await Self.code { _ = try await municipal.call(Methods.stamp, nwsRequest, deadline: deadline()) } == .peerNotAuthorized)
            let tlsSigned = try Self.request(node: "ms-municipal", key: try net.pki.credentials(for: "ms-municipal").privateKey)
            #expect(await Self.code { _ = try await municipal.call(Methods.stamp, tlsSigned, deadline: deadline()) } == .timeStampInvalid)
            let otherBytes = try Self.request(node: "ms-municipal", key: ownKey, imprintOf: Array("something else".utf8))
            #expect(await Self.code { _ = try await municipal.call(Methods.stamp, otherBytes, deadline: deadline()) } == .timeStampInvalid)
            #expect(
                await Self.code {
                    _ = try await municipal.call(Methods.latestWitnessed, WitnessQuery(node: "nws"), deadline: deadline())
                } == .peerNotAuthorized)
            let system = try net.client(as: "tomakomai/kokuho", to: "tsa")
            let own = try Self.request(node: "tomakomai/kokuho", key: ownKey)
            #expect(await Self.code { _ = try await system.call(Methods.stamp, own, deadline: deadline()) } == .peerNotAuthorized)
            await municipal.shutdown()
            await system.shutdown()
        }
    }
}
