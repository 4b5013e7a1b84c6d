/// A node's signed audit checkpoint as it travels to its witness: the tree size, the Merkle
/// root and chain hash at that size, when, and the node's signature over them.
public struct SignedCheckpoint: Sendable, Hashable {
    public var node = ""
    public var size = 0
    public var root: [UInt8] = []
    public var chain: [UInt8] = []
    public var at: Int64 = 0
    public var signature: [UInt8] = []

    public init() {}

    public init(node: String, size: Int, root: [UInt8], chain: [UInt8], at: Int64, signature: [UInt8]) {
        self.node = node
        self.size = size
        self.root = root
        self.chain = chain
        self.at = at
        self.signature = signature
    }

    /// What the node signs and the authority stamps (the SHA-256 of it is the imprint).
    public var signedText: [UInt8] {
        Array("renkei audit checkpoint v1\n\(node)\n\(size)\n\(hex(root))\n\(hex(chain))\n\(at)\n".utf8)
    }
}

/// node → time-stamping authority ("tsa.stamp"): stamp this checkpoint. `request` is the DER
/// TimeStampReq over SHA-256 of the checkpoint's signed text.
public struct StampRequest: Sendable, Hashable {
    public var checkpoint = SignedCheckpoint()
    public var request: [UInt8] = []

    public init() {}
}

/// A checkpoint the authority stamped, with the DER TimeStampResp it made.
public struct WitnessedCheckpoint: Sendable, Hashable {
    public var checkpoint = SignedCheckpoint()
    public var response: [UInt8] = []
    public var serial: UInt64 = 0
    public var stampedAt: Int64 = 0

    public init() {}
}

/// node or operator → time-stamping authority ("tsa.latest"): the newest checkpoint it
/// witnessed for `node`.
public struct WitnessQuery: Sendable, Hashable {
    public var node = ""
    public init(node: String = "") { self.node = node }
}

public struct WitnessAnswer: Sendable, Hashable {
    /// nil when the authority has stamped nothing for the node yet.
    public var latest: WitnessedCheckpoint?
    public init(latest: WitnessedCheckpoint? = nil) { self.latest = latest }
}
