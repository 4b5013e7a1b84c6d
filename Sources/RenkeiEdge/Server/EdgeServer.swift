public import Foundation
public import Hummingbird
public import Logging
import NIOCore
import NIOSSL
import RenkeiConfig
public import RenkeiCore
public import RenkeiNodes
public import RenkeiPKI

/// One HTTPS edge: the node's front door for business systems (REST, XML 電文, batch
/// files), or the tester's admin API. Mutual TLS: a caller is who its certificate says.
public struct EdgeServer: Sendable {
    public let node: String
    public let application: Application<RouterResponder<EdgeRequestContext>>
    /// Every route it serves, as "METHOD /path" with {parameters}.
    public let routes: [String]
    /// Yields the address once the server listens; ends without one if it cannot.
    public let bound: AsyncStream<Endpoint>
    private let announce: AsyncStream<Endpoint>.Continuation

    /// Serves until the surrounding service group shuts down gracefully.
    public func run() async throws {
        defer { announce.finish() }
        try await application.run()
    }

    /// The address the server listens on, once it does; nil if it stopped first.
    public func address() async -> Endpoint? {
        for await endpoint in bound { return endpoint }
        return nil
    }

    /// The business-system edge of `node`, reaching the linkage through `linkage`.
    public static func business(
        node: String, listen: Endpoint, linkage: EdgeLinkage, network: LinkageNetwork, credentials: Credentials, logger: Logger
    ) throws(RenkeiError) -> EdgeServer {
        let router = Router(context: EdgeRequestContext.self)
        router.middlewares.add(ErrorMiddleware())
        router.middlewares.add(JournalMiddleware(journal: network.control.journal, clock: network.clock))
        router.middlewares.add(
            IdentityMiddleware(action: .useBusinessEdge, policy: AccessPolicy(topology: network.topology), faults: network.control.faults))
        OpenAPIDocument.add(to: router)
        ErrorCatalogueRoute.add(to: router)
        let journal = EdgeJournal(journal: network.control.journal, clock: network.clock)
        let rest = RESTRoutes(linkage: linkage, topology: network.topology, journal: journal)
        rest.add(to: router)
        XMLRoutes(rest: rest).add(to: router)
        BatchRoutes(rest: rest).add(to: router)
        return try make(node: node, listen: listen, router: router, network: network, credentials: credentials, logger: logger)
    }

    /// The admin API, for the operator certificate only.
    public static func admin(
        listen: Endpoint, network: LinkageNetwork, scenarios: URL, credentials: Credentials, logger: Logger
    ) throws(RenkeiError) -> EdgeServer {
        let router = Router(context: EdgeRequestContext.self)
        router.middlewares.add(ErrorMiddleware())
        router.middlewares.add(JournalMiddleware(journal: network.control.journal, clock: network.clock))
        router.middlewares.add(
            IdentityMiddleware(action: .useAdminEdge, policy: AccessPolicy(topology: network.topology), faults: network.control.faults))
        OpenAPIDocument.add(to: router)
        ErrorCatalogueRoute.add(to: router)
        AdminRoutes(network: network, scenarios: scenarios, credentials: credentials, logger: logger).add(to: router)
        return try make(node: "admin", listen: listen, router: router, network: network, credentials: credentials, logger: logger)
    }

    static func make(
        node: String, listen: Endpoint, router: Router<EdgeRequestContext>, network: LinkageNetwork, credentials: Credentials, logger: Logger
    ) throws(RenkeiError) -> EdgeServer {
        let tls: TLSConfiguration
        do { tls = try credentials.serverTLSConfiguration() } catch {
            throw RenkeiError(.unauthenticated, "cannot set up TLS for the edge of \(node): \(error)")
        }
        let journal = network.control.journal
        let clock = network.clock
        let edge = node == "admin" ? "the admin API" : "the HTTPS edge of \(node)"
        let trusted = credentials.trustRoot
        // A refused handshake never becomes a request, so the journal hears it from the TLS layer.
        let refused: JournaledTLSChannel.Refused = { remoteAddress, reason in
            // renkei's own refusals (revoked, expired, not of this topology) say what they are.
            let error =
                (reason as? RenkeiError).map { RenkeiError($0.code, "\(edge) refused the TLS handshake: \($0.message)") }
                ?? CertificateProblem.refusal(node: edge, reason: String(describing: reason), trusting: trusted)
            journal.record(interface: .tls, identity: remoteAddress, operation: "handshake with \(edge)", error: error, at: clock.nowMicros())
        }
        let (bound, announce) = AsyncStream<Endpoint>.makeStream()
        let host = listen.host
        do {
            let application = Application(
                router: router,
                server: try JournaledTLSChannel.builder(
                    tls: tls, http: .init(idleTimeout: EdgeLimits.idleTimeout),
                    admission: PeerAdmission(
                        status: credentials.on(clock).status,
                        admitted: network.topology.certificateHolders),
                    refused: refused),
                configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "renkei"),
                onServerRunning: { channel in
                    announce.yield(Endpoint(host: host, port: channel.localAddress?.port ?? listen.port))
                    announce.finish()
                },
                logger: logger
            )
            let routes = router.routes.map { route in
                let path = route.path.description.split(separator: "/").map { part in
                    part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
                }.joined(separator: "/")
                return "\(route.method.rawValue) /\(path)"
            }
            return EdgeServer(node: node, application: application, routes: routes, bound: bound, announce: announce)
        } catch {
            throw RenkeiError(.unauthenticated, "cannot set up the edge of \(node): \(error)")
        }
    }
}

/// The OpenAPI 3.1 description of every route, served as written in the repository.
enum OpenAPIDocument {
    static let text: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"), let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            return "openapi: 3.1.0\ninfo: {title: renkei, version: unknown}\npaths: {}\n"
        }
        return text
    }()

    static func add(to router: Router<EdgeRequestContext>) {
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
}

extension EdgeServer {
    /// Every edge of a running network: each AddressSystem's, each 中間サーバー's with tenants
    /// that have no AddressSystem, and the admin API.
    public static func all(for network: LinkageNetwork, scenarios: URL, logger: Logger) throws(RenkeiError) -> [EdgeServer] {
        let topology = network.topology
        var servers = [EdgeServer]()
        for spec in topology.addressSystems {
            guard let listen = spec.edge, let linkage = network.edgeLinkage(of: spec.name) else { continue }
            servers.append(
                try business(
                    node: spec.name, listen: listen, linkage: linkage, network: network, credentials: network.pki.credentials(for: spec.name),
                    logger: logger))
        }
        for spec in topology.intermediateServers {
            guard let listen = spec.edge, let linkage = network.edgeLinkage(of: spec.name) else { continue }
            servers.append(
                try business(
                    node: spec.name, listen: listen, linkage: linkage, network: network, credentials: network.pki.credentials(for: spec.name),
                    logger: logger))
        }
        if let listen = topology.admin {
            servers.append(
                try admin(
                    listen: listen, network: network, scenarios: scenarios, credentials: network.pki.credentials(for: Topology.adminName),
                    logger: logger))
        }
        return servers
    }
}
