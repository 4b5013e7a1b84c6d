public import Foundation
public import RenkeiCore
import SwiftProtobuf

/// Maps method names to handlers. Built before the server starts and immutable after.
public struct RPCRouter: Sendable {
    typealias Handler = @Sendable (Data, RequestContext) async throws -> Data

    private(set) var handlers: [String: Handler] = [:]

    public init() {}

    /// Registers `handler` for `method`. The body is decoded before the handler runs; one
    /// that does not decode is refused with MALFORMED_MESSAGE, failing only that request.
    public mutating func register<Request, Response>(
        _ method: RPCMethod<Request, Response>,
        _ handler: @escaping @Sendable (Request, RequestContext) async throws -> Response
    ) {
        registerForwarding(method) { request, context in try await handler(request, context).encoded() }
    }

    /// Registers a handler that answers with an already-encoded response: for a node that
    /// passes a peer's answer on without reading it (no decode and re-encode per hop).
    public mutating func registerForwarding<Request, Response>(
        _ method: RPCMethod<Request, Response>,
        _ handler: @escaping @Sendable (Request, RequestContext) async throws -> Data
    ) {
        precondition(handlers[method.name] == nil, "\(method.name) is registered twice")
        handlers[method.name] = { body, context in
            try await handler(try Self.decodeRequest(method, body), context)
        }
    }

    /// A request body as its method's message. Fails closed: a body that does not decode, or
    /// that carries fields this build does not know, is MALFORMED_MESSAGE for that request.
    static func decodeRequest<Request, Response>(_ method: RPCMethod<Request, Response>, _ body: Data) throws(RenkeiError) -> Request {
        let message: Request.WireMessage
        do {
            message = try Request.WireMessage(serializedBytes: body)
        } catch {
            throw RenkeiError(.malformedMessage, "the body of \(method.name) does not decode as \(Request.WireMessage.protoMessageName): \(error)")
        }
        guard message.unknownFields.data.isEmpty else {
            throw RenkeiError(
                .malformedMessage,
                "the body of \(method.name) carries fields \(Request.WireMessage.protoMessageName) does not have; this node refuses what it cannot read"
            )
        }
        return try Request(wire: message)
    }

    /// Adds every handler of `other`.
    public mutating func merge(_ other: RPCRouter) {
        for (name, handler) in other.handlers {
            precondition(handlers[name] == nil, "\(name) is registered twice")
            handlers[name] = handler
        }
    }

    func handler(for method: String) -> Handler? { handlers[method] }

    /// The same routes, each preceded by `check` (which may delay or refuse the request):
    /// the place where a node applies injected faults.
    public func intercepted(by check: @escaping @Sendable (RequestContext) async throws -> Void) -> RPCRouter {
        var copy = RPCRouter()
        for (name, handler) in handlers {
            copy.handlers[name] = { body, context in
                try await check(context)
                return try await handler(body, context)
            }
        }
        return copy
    }
}

extension RPCRouter {
    /// Runs `method` in this process as if `context.peer` had sent it over the wire: the same
    /// decode, checks, handler and encode, without the socket. For a node's own HTTPS edge.
    package func callInProcess<Request, Response>(
        _ method: RPCMethod<Request, Response>,
        _ request: Request,
        context: RequestContext
    ) async throws(RenkeiError) -> Response {
        guard let handler = handlers[method.name] else {
            throw RenkeiError(.unknownMethod, "this node does not serve \(method.name)")
        }
        let body = try request.encoded()
        let answer: Data
        do {
            answer = try await handler(body, context)
        } catch let error as RenkeiError {
            throw error
        } catch {
            throw RenkeiError(.internalError, "\(method.name) failed inside this node: \(error)")
        }
        return try Response(encoded: answer)
    }
}
