import Crypto
import Foundation
public import Logging
import NIOCore
public import RenkeiCore
public import RenkeiStore
import RenkeiTimeStamp
import RenkeiWire

/// A node's side of the witness: before the node serves, checks that its log still extends the
/// newest checkpoint the time-stamping authority stamped for it (and refuses to start on a log
/// cut back or rewritten); while it runs, has each new checkpoint stamped and keeps the stamp.
public actor CheckpointWitness {
    let node: String
    let authority: String
    let store: any NodeStore
    let peers: PeerDirectory
    /// The CA, PEM: a stamp is believed only when it verifies against it.
    let authorityPEM: String
    let clock: SimulationClock
    let logger: Logger
    private var stamping: Task<Void, Never>?
    private var stampedSize = 0

    public init(
        node: String, authority: String, store: any NodeStore, peers: PeerDirectory, authorityPEM: String, clock: SimulationClock, logger: Logger
    ) {
        self.clock = clock
        self.node = node
        self.authority = authority
        self.store = store
        self.peers = peers
        self.authorityPEM = authorityPEM
        self.logger = logger
    }

    private func deadline() -> NIODeadline { .now() + .seconds(10) }

    /// Refuses (AUDIT_GAP) a log that does not extend the newest witnessed checkpoint, unless
    /// `acceptGap`, which records the gap in the log and goes on.
    public func checkAtStart(acceptGap: Bool, storeFile: String) async throws(RenkeiError) {
        let answer = try await peers.client(authority).call(Methods.latestWitnessed, WitnessQuery(node: node), deadline: deadline())
        guard let latest = answer.latest else { return }
        // Believed only as the authority's genuine stamp over exactly that checkpoint.
        _ = try TimeStampResponse.verify(latest.response, data: latest.checkpoint.signedText, authorityPEM: authorityPEM)
        let witnessed = latest.checkpoint
        let state = try await store.auditState(at: witnessed.size)
        stampedSize = witnessed.size
        guard let state else {
            return try gap(latest, "it has fewer than the \(witnessed.size) entries witnessed (entries were cut from the end)", acceptGap, storeFile)
        }
        guard state.root == witnessed.root, state.chain == witnessed.chain else {
            return try gap(
                latest, "its first \(witnessed.size) entries do not hash to the witnessed root (they were rewritten)", acceptGap, storeFile)
        }
    }

    private func gap(_ latest: WitnessedCheckpoint, _ what: String, _ acceptGap: Bool, _ storeFile: String) throws(RenkeiError) {
        let witnessed = latest.checkpoint
        let sentence =
            "the audit log of \(node) does not extend the checkpoint \(authority) stamped at \(JSTTime.iso8601(latest.stampedAt)) (serial \(latest.serial), \(witnessed.size) entries): \(what)"
        guard acceptGap else {
            throw RenkeiError(
                .auditGap,
                "\(sentence). Someone may have cut or rewritten it, or restored an old copy. Run `renkei audit verify` to see where it departs; restore \(storeFile) from a copy; or start with --accept-audit-gap to record the gap in the log and go on"
            )
        }
        logger.warning(
            "starting on an audit log that does not extend its witnessed checkpoint (--accept-audit-gap)", metadata: ["detail": "\(sentence)"])
        pendingGap = AuditEvent(
            kind: .auditGapAccepted, at: clock.nowMicros(), actor: "operator",
            detail: "serial=\(latest.serial) size=\(witnessed.size) root=\(hex(witnessed.root)) — \(sentence); accepted with --accept-audit-gap")
    }

    private var pendingGap: AuditEvent?

    /// Writes the accepted gap into the log (once the check has run) and starts stamping each
    /// new checkpoint; the newest one already signed is stamped first when it is not yet.
    public func start() async throws(RenkeiError) {
        if let pendingGap {
            try await store.commit([.audit(pendingGap)])
            self.pendingGap = nil
        }
        if let newest = try await store.checkpointNow(), newest.size != stampedSize { await stamp(newest) }
        let checkpoints = store.signedCheckpoints
        stamping = Task { [weak self] in
            for await checkpoint in checkpoints {
                guard let self else { return }
                await self.stamp(checkpoint)
            }
        }
    }

    /// Has a last checkpoint stamped (at a clean stop, while the authority still runs).
    public func finish() async {
        stamping?.cancel()
        stamping = nil
        if let newest = try? await store.checkpointNow(), newest.size != stampedSize { await stamp(newest) }
    }

    /// Has `checkpoint` stamped and keeps the stamp. A failure is logged, not thrown: the next
    /// checkpoint covers this one, and the node keeps serving.
    func stamp(_ checkpoint: AuditCheckpoint) async {
        do throws(RenkeiError) {
            let signed = checkpoint.signed(by: node)
            let nonce = UInt64.random(in: 1...UInt64.max)
            var request = StampRequest()
            request.checkpoint = signed
            request.request = try TimeStampRequest.make(imprint: Array(SHA256.hash(data: signed.signedText)), nonce: nonce)
            let witnessed = try await peers.client(authority).call(Methods.stamp, request, deadline: deadline())
            _ = try TimeStampResponse.verify(witnessed.response, data: signed.signedText, authorityPEM: authorityPEM, nonce: nonce)
            guard witnessed.checkpoint == signed else {
                throw RenkeiError(.timeStampInvalid, "\(authority) answered with a stamp for another checkpoint")
            }
            try await store.commit([.checkpointStamped(witnessed)])
            stampedSize = checkpoint.size
        } catch {
            logger.warning(
                "a checkpoint was not stamped; the next one will be", metadata: ["size": "\(checkpoint.size)", "error": "\(error)"])
        }
    }
}
