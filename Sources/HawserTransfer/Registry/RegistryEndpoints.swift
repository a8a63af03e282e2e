import HawserCore
import HawserRegistry
import Logging

/// Builds the client for one registry repository the way the rest of Hawser
/// does: the plan's server line for the image (the host named in the
/// reference, not its mirrors), with the TLS settings and credentials the
/// configuration gives that host.
public struct RegistryEndpoints: Sendable {
    public let configuration: HostsConfiguration
    public let pool: HTTPClientPool
    public let tokenCache: TokenCache
    let logger: Logger

    public init(configuration: HostsConfiguration, pool: HTTPClientPool, tokenCache: TokenCache = TokenCache(),
                logger: Logger = Logger(label: "hawser.transfer")) {
        self.configuration = configuration
        self.pool = pool
        self.tokenCache = tokenCache
        self.logger = logger
    }

    /// The server attempt of `image`'s plan: the registry itself.
    public func serverAttempt(for image: ImageReference) throws -> Attempt {
        try Self.serverAttempt(for: image, in: configuration)
    }

    public static func serverAttempt(for image: ImageReference, in configuration: HostsConfiguration) throws -> Attempt {
        let plan = try configuration.plan(for: image)
        let hosts = (plan.attempts + plan.skipped).sorted { $0.position < $1.position }
        let server = hosts.first { if case .server = $0.role { true } else { false } }
        guard let attempt = server ?? hosts.last else {
            throw ConfigError(.invalidArgument, at: nil, "the configuration gives no host for \(image.registry)")
        }
        return attempt
    }

    /// A client for `attempt` (the server line, or a plan's mirror for `sync --for`).
    public func client(for attempt: Attempt, access: RegistryClient.Access) -> RegistryClient {
        RegistryClient(attempt: attempt, credentials: attempt.credentialsKey.flatMap(configuration.credentials(forKey:)),
                       access: access, pool: pool, tokenCache: tokenCache, logger: logger)
    }

    /// - Parameter verifiesStreams: false when the blobs go to a registry, which checks them itself.
    public func source(_ image: ImageReference, verifiesStreams: Bool = true) throws -> RegistrySource {
        RegistrySource(client: client(for: try serverAttempt(for: image), access: .pull), verifiesStreams: verifiesStreams)
    }

    public func destination(_ image: ImageReference) throws -> RegistryDestination {
        RegistryDestination(client: client(for: try serverAttempt(for: image), access: .push))
    }
}
