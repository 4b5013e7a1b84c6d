import GRPCCore
import GRPCNIOTransportHTTP2
import RenkeiLoad
import RenkeiPKI
import X509

/// The same no-op chain as `renkei load --baseline` (a request crosses `hops` mutual-TLS
/// hops, the last relay answers with a body the size of a real answer), over grpc-swift-2's
/// HTTP/2 transport instead of renkei's framed protocol: what a Swift engineer would
/// otherwise have built the linkage on.
final class GRPCRelayChain: Sendable {
    static let forward = MethodDescriptor(fullyQualifiedService: "renkei.bench.Relay", method: "Forward")

    private let servers: [GRPCServer<HTTP2ServerTransport.Posix>]
    private let clients: [GRPCClient<HTTP2ClientTransport.Posix>]
    private let tasks: [Task<Void, any Error>]
    private let entry: GRPCClient<HTTP2ClientTransport.Posix>
    private let request: [UInt8]

    /// Starts the relays from the far end back, so that each one knows its successor's port.
    static func start(hops: Int, requestBytes: Int, responseBytes: Int) async throws -> GRPCRelayChain {
        let authority = try DevelopmentCA.generate(name: "grpc chain CA")
        let trust = try PEMBytes.certificate(authority.root.certificate)
        var servers = [GRPCServer<HTTP2ServerTransport.Posix>]()
        var clients = [GRPCClient<HTTP2ClientTransport.Posix>]()
        var tasks = [Task<Void, any Error>]()
        var downstream: GRPCClient<HTTP2ClientTransport.Posix>?
        let answer = [UInt8](repeating: UInt8(ascii: "r"), count: responseBytes)

        for index in stride(from: hops, through: 1, by: -1) {
            let identity = try authority.issue(for: CertificateSubject(name: "relay\(index)", role: .intermediateServer))
            var router = RPCRouter<HTTP2ServerTransport.Posix>()
            let next = downstream
            router.registerHandler(forMethod: forward, deserializer: RawBytesCoding(), serializer: RawBytesCoding()) { stream, _ in
                let request = try await ServerRequest(stream: stream)
                guard let next else { return StreamingServerResponse(single: ServerResponse(message: answer)) }
                let relayed = try await next.unary(
                    request: ClientRequest(message: request.message), descriptor: forward, serializer: RawBytesCoding(),
                    deserializer: RawBytesCoding(),
                    options: .defaults
                ) { try $0.message }
                return StreamingServerResponse(single: ServerResponse(message: relayed))
            }
            let server = GRPCServer(
                transport: HTTP2ServerTransport.Posix(
                    address: .ipv4(host: "127.0.0.1", port: 0),
                    transportSecurity: .mTLS(
                        certificateChain: [.bytes(try PEMBytes.certificate(identity.certificate), format: .pem)],
                        privateKey: .bytes(PEMBytes.key(identity), format: .pem)
                    ) { config in
                        config.trustRoots = .certificates([.bytes(trust, format: .pem)])
                    }
                ),
                router: router
            )
            servers.append(server)
            tasks.append(Task { try await server.serve() })
            guard let port = try await server.transport.listeningAddress.ipv4?.port else {
                throw ChainError("relay\(index) is not listening on IPv4")
            }

            // The caller of this relay: the relay before it, or the load generator for the first.
            let caller = try authority.issue(
                for: CertificateSubject(name: index > 1 ? "relay\(index - 1)" : "load-generator", role: .intermediateServer))
            let client = GRPCClient(
                transport: try HTTP2ClientTransport.Posix(
                    target: .ipv4(address: "127.0.0.1", port: port),
                    transportSecurity: .mTLS(
                        certificateChain: [.bytes(try PEMBytes.certificate(caller.certificate), format: .pem)],
                        privateKey: .bytes(PEMBytes.key(caller), format: .pem)
                    ) { config in
                        config.trustRoots = .certificates([.bytes(trust, format: .pem)])
                        config.serverCertificateVerification = .noHostnameVerification
                    }
                )
            )
            clients.append(client)
            tasks.append(Task { try await client.runConnections() })
            downstream = client
        }
        guard let entry = downstream else { throw ChainError("a relay chain needs at least one hop") }
        return GRPCRelayChain(
            servers: servers, clients: clients, tasks: tasks, entry: entry,
            request: [UInt8](repeating: UInt8(ascii: "q"), count: requestBytes)
        )
    }

    private init(
        servers: [GRPCServer<HTTP2ServerTransport.Posix>], clients: [GRPCClient<HTTP2ClientTransport.Posix>], tasks: [Task<Void, any Error>],
        entry: GRPCClient<HTTP2ClientTransport.Posix>, request: [UInt8]
    ) {
        self.servers = servers
        self.clients = clients
        self.tasks = tasks
        self.entry = entry
        self.request = request
    }

    func execute() async -> OperationOutcome {
        do {
            _ = try await entry.unary(
                request: ClientRequest(message: request), descriptor: Self.forward, serializer: RawBytesCoding(), deserializer: RawBytesCoding(),
                options: .defaults
            ) { try $0.message }
            return .success
        } catch let error as RPCError {
            return OperationOutcome(error: "grpc.\(error.code)", expectedRefusal: false)
        } catch {
            return OperationOutcome(error: "grpc.unknown", expectedRefusal: false)
        }
    }

    func stop() async {
        for client in clients { client.beginGracefulShutdown() }
        for server in servers { server.beginGracefulShutdown() }
        for task in tasks { _ = await task.result }
    }
}

struct ChainError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// PEM text as the bytes grpc-swift's TLS configuration takes.
enum PEMBytes {
    static func certificate(_ certificate: Certificate) throws -> [UInt8] { Array(try certificate.serializeAsPEM().pemString.utf8) }
    static func key(_ issued: IssuedCertificate) -> [UInt8] { Array(issued.privateKey.pemRepresentation.utf8) }
}
