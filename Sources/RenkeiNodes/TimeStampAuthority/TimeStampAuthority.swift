public import Crypto
import Foundation
import RenkeiConfig
public import RenkeiCore
import RenkeiPKI
import RenkeiStore
public import RenkeiTimeStamp
public import RenkeiWire

/// The time-stamping authority: the witness outside every node. It stamps each node's signed
/// audit checkpoints (RFC 3161, on the system OpenSSL) and keeps every stamp in its own
/// append-only table and audit log, so that the newest checkpoint of each node is remembered
/// somewhere the node's operator cannot rewrite.
///
/// It stamps only what it can vouch for: a checkpoint signed with the node's own checkpoint key,
/// sent by that node, with a request whose imprint is the checkpoint's signed text.
public actor TimeStampAuthority {
    let environment: NodeEnvironment
    let signer: TimeStampSigner
    /// Each witnessed node's public checkpoint key.
    let checkpointKeys: [String: P256.Signing.PublicKey]
    private var latest: [String: WitnessedCheckpoint] = [:]
    private var nextSerial: UInt64 = 1

    public init(environment: NodeEnvironment, signer: TimeStampSigner, checkpointKeys: [String: P256.Signing.PublicKey]) async throws(RenkeiError) {
        self.environment = environment
        self.signer = signer
        self.checkpointKeys = checkpointKeys
        try await reload()
    }

    /// The newest stamp of each node and the next serial, from the store.
    public func reload() async throws(RenkeiError) {
        latest = [:]
        nextSerial = 1
        for case let .stamp(witnessed) in try await environment.loadState() {
            nextSerial = max(nextSerial, witnessed.serial + 1)
            if witnessed.serial > latest[witnessed.checkpoint.node]?.serial ?? 0 { latest[witnessed.checkpoint.node] = witnessed }
        }
    }

    public nonisolated var router: RPCRouter {
        var router = RPCRouter()
        router.register(Methods.stamp) { request, context in try await self.stamp(request, context) }
        router.register(Methods.latestWitnessed) { request, context in try await self.latest(request, context) }
        return router
    }

    func stamp(_ request: StampRequest, _ context: RequestContext) async throws(RenkeiError) -> WitnessedCheckpoint {
        let checkpoint = request.checkpoint
        try environment.policy.require(context.peer, .stampCheckpoint(of: checkpoint.node))
        guard let key = checkpointKeys[checkpoint.node] else {
            throw RenkeiError(.peerNotAuthorized, "\(checkpoint.node) is not a node this authority witnesses")
        }
        let signed = AuditCheckpoint(
            size: checkpoint.size, root: checkpoint.root, chain: checkpoint.chain, at: checkpoint.at, signature: checkpoint.signature)
        guard signed.isSigned(by: key, node: checkpoint.node) else {
            throw RenkeiError(
                .timeStampInvalid, "the checkpoint of \(checkpoint.node) at \(checkpoint.size) entries is not signed with its checkpoint key")
        }
        guard try TimeStampRequest.imprint(of: request.request) == Array(SHA256.hash(data: checkpoint.signedText)) else {
            throw RenkeiError(.timeStampInvalid, "the time-stamp request's imprint is not the SHA-256 of this checkpoint's signed text")
        }
        var witnessed = WitnessedCheckpoint()
        witnessed.checkpoint = checkpoint
        witnessed.serial = nextSerial
        witnessed.stampedAt = environment.clock.nowMicros()
        witnessed.response = try signer.respond(
            to: request.request, serial: witnessed.serial, at: Date(timeIntervalSince1970: Double(witnessed.stampedAt) / 1_000_000))
        nextSerial += 1
        var writes: [StoreWrite] = [.stamp(witnessed)]
        if let previous = latest[checkpoint.node], previous.checkpoint.size > checkpoint.size {
            // Recorded, not refused: the node says why in its own log (an accepted gap).
            writes.append(
                environment.audit(
                    .administration, actor: checkpoint.node,
                    "\(checkpoint.node) sent a checkpoint of \(checkpoint.size) entries after one of \(previous.checkpoint.size) (serial \(previous.serial)): its log went back"
                ))
        }
        try await environment.store.commit(writes)
        latest[checkpoint.node] = witnessed
        return witnessed
    }

    func latest(_ query: WitnessQuery, _ context: RequestContext) async throws(RenkeiError) -> WitnessAnswer {
        try environment.policy.require(context.peer, .readWitness(of: query.node))
        return WitnessAnswer(latest: latest[query.node])
    }
}

extension TimeStampAuthority: LinkageNode {}
