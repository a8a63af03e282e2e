import HawserCore
import HawserRegistry
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// `hawser serve`: the mirror as a running server. Hummingbird serves HTTP (or
/// HTTPS with swift-nio-ssl); swift-service-lifecycle stops it gracefully on
/// SIGTERM or SIGINT (no new connections, requests in progress finish), and the
/// upstream connection pool is closed after.
public struct MirrorServer: Sendable {
    public struct Configuration: Sendable {
        public var storePath: String
        public var host: String
        public var port: Int
        /// Where upstream plans come from: the mirror's own registries.yaml or certs.d.
        public var hosts: HostsConfiguration
        public var containerd: Containerd
        public var options: MirrorService.Options
        /// PEM files; HTTPS when both are given.
        public var tlsCertificate: String?
        public var tlsKey: String?
        /// Upstream connections per host (one per blob downloading at once).
        public var upstreamConnectionsPerHost: Int

        public init(storePath: String, host: String, port: Int, hosts: HostsConfiguration, containerd: Containerd = .default,
                    options: MirrorService.Options = .init(), tlsCertificate: String? = nil, tlsKey: String? = nil,
                    upstreamConnectionsPerHost: Int = 16) {
            self.storePath = storePath
            self.host = host
            self.port = port
            self.hosts = hosts
            self.containerd = containerd
            self.options = options
            self.tlsCertificate = tlsCertificate
            self.tlsKey = tlsKey
            self.upstreamConnectionsPerHost = upstreamConnectionsPerHost
        }
    }

    public let configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Serves until SIGTERM or SIGINT. `onListening` gets the bound port.
    public func run(logger: Logger, accessLog: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let store = try MirrorStore(path: configuration.storePath)
        // A killed replica's partial files (only those of processes gone from this machine).
        store.layout.removeStaleLeftovers()
        let pool = HTTPClientPool(connectionsPerHost: configuration.upstreamConnectionsPerHost)
        let upstream = MirrorUpstream(hosts: configuration.hosts, containerd: configuration.containerd, pool: pool,
                                      maximumManifestSize: configuration.options.maximumManifestSize, logger: logger)
        let service = MirrorService(store: store, upstream: upstream, options: configuration.options, logger: logger, accessLog: accessLog)
        let responder = CallbackResponder<MirrorRequestContext> { request, context in
            await service.respond(to: request, context: context)
        }
        let server: HTTPServerBuilder
        if let certificate = configuration.tlsCertificate, let key = configuration.tlsKey {
            server = try .tls(.http1(), tlsConfiguration: try Self.tlsConfiguration(certificate: certificate, key: key))
        } else {
            server = .http1()
        }
        let application = Application(
            responder: responder, server: server,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "hawser"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }

    static func tlsConfiguration(certificate: String, key: String) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let privateKey: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw MirrorSetupError(reason: "--tls-cert \(certificate) cannot be read as a PEM certificate chain")
        }
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw MirrorSetupError(reason: "--tls-key \(key) cannot be read as a PEM private key")
        }
        guard !chain.isEmpty else { throw MirrorSetupError(reason: "--tls-cert \(certificate) holds no certificate") }
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
    }
}

/// The server cannot start as configured.
public struct MirrorSetupError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { "\(reason) [serve.setup]" }
}
