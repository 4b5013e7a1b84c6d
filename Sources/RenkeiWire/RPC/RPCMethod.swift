/// A typed method of the wire protocol: its name on the wire and the values it carries.
public struct RPCMethod<Request: WireConvertible, Response: WireConvertible>: Sendable {
    public let name: String
    public init(_ name: String) { self.name = name }
}
