import AsyncHTTPClient
import HawserCore
import NIOCore
import NIOPosix

/// One `HTTPClient` per TLS profile (plus one for plain HTTP), so connections
/// are pooled and reused across attempts, blobs and images. Call `shutdown()`
/// when done.
public actor HTTPClientPool {
    /// Which client a request goes through.
    enum Profile: Hashable {
        case plain
        case tls(TLSSettings)
    }

    private var clients: [Profile: HTTPClient] = [:]
    private let eventLoopGroup: any EventLoopGroup
    private let connectTimeout: TimeAmount
    private let readTimeout: TimeAmount
    /// HTTP/1.1 connections open at once to one host. Pulls and pushes keep at most
    /// this many blobs in flight: AsyncHTTPClient fails a request that waits for a
    /// connection longer than the connect timeout, so queueing behind slow blobs
    /// would turn into errors. Several operations sharing one pool share this too.
    public let connectionsPerHost: Int

    /// - Parameter connectionsPerHost: see ``connectionsPerHost``.
    public init(
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        connectTimeout: TimeAmount = .seconds(10), readTimeout: TimeAmount = .seconds(60), connectionsPerHost: Int = 8
    ) {
        self.eventLoopGroup = eventLoopGroup
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.connectionsPerHost = max(1, connectionsPerHost)
    }

    /// The client for plain HTTP (`tls == nil`) or for HTTPS with these settings.
    func client(tls: TLSSettings?) throws(RegistryError) -> HTTPClient {
        let profile: Profile = tls.map { .tls($0) } ?? .plain
        if let existing = clients[profile] { return existing }
        var configuration = HTTPClient.Configuration()
        if let tls { configuration.tlsConfiguration = try TLSConfigurationFactory.make(tls) }
        // Redirects are followed by RedirectTransport, which drops credentials across hosts.
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: connectTimeout, read: readTimeout)
        configuration.decompression = .disabled
        // HTTP/1.1 with a connection per concurrent blob spreads big downloads
        // over event loops; HTTP/2 would multiplex them onto one connection.
        configuration.httpVersion = .http1Only
        var connectionPool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        // A refused connection or failed handshake is an answer (containerd moves to
        // the next host, or falls back to HTTP): do not retry until the connect timeout.
        connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool = connectionPool
        let client = HTTPClient(eventLoopGroupProvider: .shared(eventLoopGroup), configuration: configuration)
        clients[profile] = client
        return client
    }

    public func shutdown() async {
        let all = clients.values
        clients = [:]
        for client in all { try? await client.shutdown() }
    }
}
