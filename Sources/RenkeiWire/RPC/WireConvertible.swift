public import Foundation
public import RenkeiCore
public import SwiftProtobuf

/// A value the nodes speak that travels as one protobuf message. The nodes, the edge and the
/// clients use the value (RenkeiCore's `Linkage` types); only RenkeiWire and its `+Wire.swift`
/// conversions know the message, so a reader never needs the `.proto` to follow a node.
public protocol WireConvertible: Sendable {
    associatedtype WireMessage: SwiftProtobuf.Message
    /// Reads a decoded message. Fails closed: a value that the domain cannot hold is refused
    /// with a code that names what is wrong (MALFORMED_MESSAGE, INVALID_REQUEST …).
    init(wire: WireMessage) throws(RenkeiError)
    var wire: WireMessage { get }
}

extension WireConvertible {
    /// The value as the bytes of its message: for a node that keeps it (a stored inquiry state).
    public func encoded() throws(RenkeiError) -> Data {
        do { return try wire.serializedData() } catch {
            throw RenkeiError(.internalError, "cannot encode \(WireMessage.protoMessageName): \(error)")
        }
    }

    /// A value from the bytes of its message. Bytes with fields this build does not know are
    /// refused, as on the wire.
    public init(encoded bytes: some ContiguousBytes) throws(RenkeiError) {
        let message: WireMessage
        do { message = try WireMessage(serializedBytes: bytes) } catch {
            throw RenkeiError(.malformedMessage, "the bytes do not decode as \(WireMessage.protoMessageName): \(error)")
        }
        guard message.unknownFields.data.isEmpty else {
            throw RenkeiError(
                .malformedMessage, "the bytes carry fields \(WireMessage.protoMessageName) does not have; this node refuses what it cannot read")
        }
        try self.init(wire: message)
    }
}
