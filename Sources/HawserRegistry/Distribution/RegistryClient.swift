import HawserCore
import Logging
import NIOCore
import NIOHTTP1

/// The distribution API against one attempt's host: the plan's endpoint,
/// repository (after rewrite), `?ns=`, TLS mode, headers and credentials.
/// Cheap to copy; all copies share the host's authentication state.
public struct RegistryClient: Sendable {
    public let attempt: Attempt
    let transport: any HTTPTransport
    /// Kept to tell which scheme actually served (HTTPS, or HTTP after the HTTPS attempt).
    private let scheme: SchemeTransport

    /// What the client will do: pulling asks for `pull` tokens, pushing for `pull,push`.
    public enum Access: Sendable {
        case pull
        case push

        var actions: String {
            switch self {
            case .pull: "pull"
            case .push: "pull,push"
            }
        }
    }

    public init(
        attempt: Attempt, credentials: RegistryCredentials?, access: Access, pool: HTTPClientPool,
        tokenCache: TokenCache, logger: Logger = Logger(label: "hawser.registry")
    ) {
        self.attempt = attempt
        let client = LoggingTransport(next: ClientTransport(pool: pool, tls: attempt.transport.tls), logger: logger)
        let scheme = SchemeTransport(next: client, endpoint: attempt.endpoint, mode: attempt.transport)
        self.scheme = scheme
        let redirects = RedirectTransport(next: scheme)
        let retry = RetryTransport(next: redirects)
        // The token service is asked without the host's Authorization layer.
        let tokens = TokenService(transport: retry)
        // Credentials only when the plan names this host's configs key.
        let usable = attempt.credentialsKey == nil ? nil : credentials
        let authenticator = Authenticator(endpoint: attempt.endpoint, credentials: usable, credentialsKey: attempt.credentialsKey,
                                          tokens: tokens, cache: tokenCache)
        let scopes = ["repository:\(attempt.repository):\(access.actions)"]
        self.transport = HeaderTransport(
            next: AuthTransport(next: retry, authenticator: authenticator, endpoint: attempt.endpoint, scopes: scopes),
            headers: attempt.headers, endpoint: attempt.endpoint)
    }

    /// How this host was actually reached: "plain HTTP", "HTTPS", or "plain HTTP after
    /// the HTTPS attempt" (containerd's fallback for an `http://` host with TLS settings).
    public var servedOver: String {
        switch attempt.transport {
        case .plainHTTP: "plain HTTP"
        case .https: "HTTPS"
        case .httpsThenHTTP: scheme.fellBack ? "plain HTTP after the HTTPS attempt" : "HTTPS"
        }
    }

    /// Sends a request through the full stack and returns the response, whatever its status.
    public func send(_ request: RegistryRequest) async throws -> RegistryResponse {
        try await transport.send(request)
    }

    /// Sends and requires one of `expected`; any other status becomes a `RegistryError`
    /// carrying the registry's error body.
    func send(_ request: RegistryRequest, expecting expected: Set<Int>) async throws -> RegistryResponse {
        let response = try await transport.send(request)
        guard expected.contains(response.status) else {
            throw await response.failure(method: request.method.rawValue)
        }
        return response
    }

    /// `GET /v2/` with the credentials that go to this host: throws the registry's
    /// refusal (401 after authenticating, 403, any other status) as a RegistryError.
    public func checkAPI() async throws {
        let url = "\(attempt.endpoint.scheme.rawValue)://\(attempt.endpoint.host)\(attempt.endpoint.path)/"
        let response = try await send(RegistryRequest(method: .GET, url: url), expecting: [200])
        _ = try? await response.collect(limit: 64 << 10)
    }

    /// `GET /v2/` on the host (the API version check).
    public func ping() async throws -> Int {
        let url = "\(attempt.endpoint.scheme.rawValue)://\(attempt.endpoint.host)\(attempt.endpoint.path)/"
        let response = try await transport.send(RegistryRequest(method: .GET, url: url))
        _ = try? await response.collect(limit: 64 << 10)
        return response.status
    }
}
