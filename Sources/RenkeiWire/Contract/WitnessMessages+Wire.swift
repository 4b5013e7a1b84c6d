import Foundation
public import RenkeiCore

/// Bounds of what a witness reads: a hash is 32 bytes, a P-256 signature in DER at most 72.
enum WitnessBounds {
    static let signatureBytes = 128
    static let requestBytes = 4_096
    static let responseBytes = 16_384
    static let nodeName = 64
}

extension SignedCheckpoint: WireConvertible {
    public init(wire: Renkei_V1_Checkpoint) throws(RenkeiError) {
        guard !wire.node.isEmpty, wire.node.count <= WitnessBounds.nodeName else {
            throw RenkeiError(.malformedMessage, "a checkpoint names no node, or one over \(WitnessBounds.nodeName) characters")
        }
        guard wire.size <= UInt64(Int64.max) else { throw RenkeiError(.malformedMessage, "a checkpoint's size is out of range") }
        guard wire.root.count == 32, wire.chain.count == 32 else {
            throw RenkeiError(.malformedMessage, "a checkpoint's root and chain are SHA-256 hashes of 32 bytes")
        }
        guard !wire.signature.isEmpty, wire.signature.count <= WitnessBounds.signatureBytes else {
            throw RenkeiError(.malformedMessage, "a checkpoint's signature is missing or over \(WitnessBounds.signatureBytes) bytes")
        }
        self.init(
            node: wire.node, size: Int(wire.size), root: Array(wire.root), chain: Array(wire.chain), at: wire.atMicros,
            signature: Array(wire.signature))
    }

    public var wire: Renkei_V1_Checkpoint {
        var wire = Renkei_V1_Checkpoint()
        wire.node = node
        wire.size = UInt64(size)
        wire.root = Data(root)
        wire.chain = Data(chain)
        wire.atMicros = at
        wire.signature = Data(signature)
        return wire
    }
}

extension StampRequest: WireConvertible {
    public init(wire: Renkei_V1_StampRequest) throws(RenkeiError) {
        self.init()
        checkpoint = try SignedCheckpoint(wire: wire.checkpoint)
        guard !wire.request.isEmpty, wire.request.count <= WitnessBounds.requestBytes else {
            throw RenkeiError(.malformedMessage, "a time-stamp request is missing or over \(WitnessBounds.requestBytes) bytes")
        }
        request = Array(wire.request)
    }

    public var wire: Renkei_V1_StampRequest {
        var wire = Renkei_V1_StampRequest()
        wire.checkpoint = checkpoint.wire
        wire.request = Data(request)
        return wire
    }
}

extension WitnessedCheckpoint: WireConvertible {
    public init(wire: Renkei_V1_WitnessedCheckpoint) throws(RenkeiError) {
        self.init()
        checkpoint = try SignedCheckpoint(wire: wire.checkpoint)
        guard !wire.response.isEmpty, wire.response.count <= WitnessBounds.responseBytes else {
            throw RenkeiError(.malformedMessage, "a time-stamp response is missing or over \(WitnessBounds.responseBytes) bytes")
        }
        response = Array(wire.response)
        serial = wire.serial
        stampedAt = wire.stampedAtMicros
    }

    public var wire: Renkei_V1_WitnessedCheckpoint {
        var wire = Renkei_V1_WitnessedCheckpoint()
        wire.checkpoint = checkpoint.wire
        wire.response = Data(response)
        wire.serial = serial
        wire.stampedAtMicros = stampedAt
        return wire
    }
}

extension WitnessQuery: WireConvertible {
    public init(wire: Renkei_V1_WitnessQuery) throws(RenkeiError) {
        guard !wire.node.isEmpty, wire.node.count <= WitnessBounds.nodeName else {
            throw RenkeiError(.malformedMessage, "a witness query names no node, or one over \(WitnessBounds.nodeName) characters")
        }
        self.init(node: wire.node)
    }

    public var wire: Renkei_V1_WitnessQuery {
        var wire = Renkei_V1_WitnessQuery()
        wire.node = node
        return wire
    }
}

extension WitnessAnswer: WireConvertible {
    public init(wire: Renkei_V1_WitnessAnswer) throws(RenkeiError) {
        self.init(latest: wire.found ? try WitnessedCheckpoint(wire: wire.latest) : nil)
    }

    public var wire: Renkei_V1_WitnessAnswer {
        var wire = Renkei_V1_WitnessAnswer()
        if let latest {
            wire.latest = latest.wire
            wire.found = true
        }
        return wire
    }
}
