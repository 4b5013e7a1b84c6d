public import Foundation
public import Hummingbird
public import Logging
import NIOCore
import NIOSSL
public import RenkeiConfig
public import RenkeiCore
public import RenkeiNodes

/// The training console: a Japanese web console over HTTPS, on the same engine. Staff sign in
/// with their staff accounts; everything they do goes through the linkage as their business
/// system would (LinkageClient over mutual TLS, with their session token), so it is journaled,
/// recorded and audited under their name, and the console can do nothing the API cannot.
public struct ConsoleServer: Sendable {
    public let application: Application<RouterResponder<ConsoleRequestContext>>
    /// Yields the address once the server listens; ends without one if it cannot.
    public let bound: AsyncStream<Endpoint>
    private let announce: AsyncStream<Endpoint>.Continuation
    private let environment: ConsoleEnvironment

    public func run() async throws {
        defer { announce.finish() }
        try await application.run()
        await environment.linkage.shutdown()
    }

    /// The address the console listens on, once it does; nil if it stopped first.
    public func address() async -> Endpoint? {
        for await endpoint in bound { return endpoint }
        return nil
    }

    /// The console of `network`, with the exercises of `exercises`, the scenarios of `scenarios`,
    /// and the stores in `dataDirectory` (nil for a network in memory).
    public static func make(
        network: LinkageNetwork, settings: Topology.ConsoleSettings, exercises: URL, scenarios: URL, dataDirectory: URL?, logger: Logger
    ) async throws(RenkeiError) -> ConsoleServer {
        let loaded = try Exercise.loadAll(in: exercises, topology: network.topology)
        let environment = ConsoleEnvironment(
            network: network, settings: settings, pages: try await ConsolePages.load(),
            sessions: ConsoleSessions(idle: settings.idle, clock: { Int64(Date().timeIntervalSince1970 * 1_000_000) }),
            linkage: ConsoleLinkage(network: network, logger: logger), exercises: loaded, attempts: ExerciseAttempts(), scenarios: scenarios,
            dataDirectory: dataDirectory)
        let router = Router(context: ConsoleRequestContext.self)
        router.middlewares.add(SessionMiddleware(sessions: environment.sessions))
        StaticRoutes.add(to: router)
        SignInRoutes(environment: environment).add(to: router)
        InquiryRoutes(environment: environment).add(to: router)
        QueueRoutes(environment: environment).add(to: router)
        DuplicateRoutes(environment: environment).add(to: router)
        FaultRoutes(environment: environment).add(to: router)
        RecordRoutes(environment: environment).add(to: router)
        PortalRoutes(environment: environment).add(to: router)
        AuditRoutes(environment: environment).add(to: router)
        ExerciseRoutes(environment: environment).add(to: router)
        TrainerRoutes(environment: environment).add(to: router)
        let tls: TLSConfiguration
        do {
            tls = try network.pki.credentials(for: Topology.trainerName).browserServerTLSConfiguration()
        } catch {
            throw RenkeiError(.unauthenticated, "cannot set up TLS for the console: \(error)")
        }
        let (bound, announce) = AsyncStream<Endpoint>.makeStream()
        let listen = settings.listen
        do {
            let application = Application(
                router: router,
                server: try ConsoleTLSChannel.builder(tls: tls),
                configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "renkei-console"),
                onServerRunning: { channel in
                    announce.yield(Endpoint(host: listen.host, port: channel.localAddress?.port ?? listen.port))
                    announce.finish()
                },
                logger: logger
            )
            return ConsoleServer(application: application, bound: bound, announce: announce, environment: environment)
        } catch {
            throw RenkeiError(.unauthenticated, "cannot set up the console: \(error)")
        }
    }
}
