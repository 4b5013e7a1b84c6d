public import SwiftProtobuf

/// A typed method of the wire protocol: its name on the wire and its message types.
public struct RPCMethod<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>: Sendable {
    public let name: String
    public init(_ name: String) { self.name = name }
}
