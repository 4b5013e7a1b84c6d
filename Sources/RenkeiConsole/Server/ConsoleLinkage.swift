import Logging
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiPKI

/// The console's way into the linkage: as each business system, over mutual TLS with that
/// system's certificate, exactly as a vendor's system would. One client per system, made when
/// first needed and kept: the one place they are held.
actor ConsoleLinkage {
    private let network: LinkageNetwork
    private let logger: Logger
    private var clients: [String: LinkageClient] = [:]

    init(network: LinkageNetwork, logger: Logger) {
        self.network = network
        self.logger = logger
    }

    func client(_ system: String) throws(RenkeiError) -> LinkageClient {
        if let client = clients[system] { return client }
        let credentials = try network.pki.credentials(for: system).on(network.clock)
        let endpoints = network.endpoints
        let client = try LinkageClient.connect(as: system, topology: network.topology, credentials: credentials, logger: logger) {
            endpoints.endpoint($0)
        }
        clients[system] = client
        return client
    }

    func shutdown() async {
        for client in clients.values { await client.shutdown() }
        clients = [:]
    }

    /// The deadline of one console request to the linkage.
    nonisolated static func deadline(seconds: Int64 = 15) -> NIODeadline { .now() + .seconds(seconds) }
}
