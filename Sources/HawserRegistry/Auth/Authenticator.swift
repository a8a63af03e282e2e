import HawserCore

/// Authentication state for one attempt's host, shared by all its requests:
/// what the host asked for (Basic or a bearer token from its realm) and the
/// credentials of the host's own `configs` entry, which go nowhere else.
actor Authenticator {
    enum Mode {
        case basic
        case bearer(realm: String, service: String?, scopes: [String])
    }

    let endpoint: Endpoint
    let credentials: RegistryCredentials?
    let credentialsKey: String?
    let tokens: TokenService
    let cache: TokenCache
    private var mode: Mode?

    init(endpoint: Endpoint, credentials: RegistryCredentials?, credentialsKey: String?, tokens: TokenService, cache: TokenCache) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.credentialsKey = credentialsKey
        self.tokens = tokens
        self.cache = cache
    }

    /// The Authorization header value for a request needing `scopes`, nil before
    /// the host has asked for anything.
    func authorization(scopes: [String]) async throws -> String? {
        switch mode {
        case nil:
            return nil
        case .basic:
            guard let basic = credentials?.basic else { return nil }
            return TokenService.basicHeader(basic.username, basic.password)
        case .bearer(let realm, let service, let challengeScopes):
            let merged = Array(Set(scopes + challengeScopes)).sorted()
            let key = TokenCache.Key(realm: realm, service: service ?? "", scopes: merged, identity: credentialsKey ?? "")
            let tokens = self.tokens, credentials = self.credentials
            let token = try await cache.token(for: key) {
                try await tokens.fetch(realm: realm, service: service, scopes: merged, credentials: credentials)
            }
            return "Bearer \(token.value)"
        }
    }

    /// Takes the host's challenges after a 401. Throws when none can be answered.
    func accept(_ challenges: [AuthChallenge], url: String, method: String, scopes: [String], previous: String?) async throws {
        if let bearer = challenges.first(where: { $0.scheme == .bearer }), let realm = bearer.realm {
            let challengeScopes = bearer.scopes
            if previous?.hasPrefix("Bearer ") == true {
                // The token we sent was refused: do not reuse it from the cache.
                let merged = Array(Set(scopes + challengeScopes)).sorted()
                await cache.invalidate(TokenCache.Key(realm: realm, service: bearer.service ?? "", scopes: merged, identity: credentialsKey ?? ""))
            }
            mode = .bearer(realm: realm, service: bearer.service, scopes: challengeScopes)
            return
        }
        if challenges.contains(where: { $0.scheme == .basic }) {
            guard credentials?.basic != nil else {
                throw RegistryError(.unauthorized, method: method, url: url, status: 401,
                                    reason: "the registry asks for Basic authentication and no credentials apply to \(endpoint.host) "
                                        + (credentialsKey == nil ? "(no configs entry for this host)" : "(configs.\"\(credentialsKey ?? "")\" has no username/password)"))
            }
            mode = .basic
            return
        }
        let offered = challenges.map { "\($0.scheme)" }.joined(separator: ", ")
        throw RegistryError(.unauthorized, method: method, url: url, status: 401,
                            reason: "the registry asks for an authentication scheme Hawser cannot answer (\(offered.isEmpty ? "no WWW-Authenticate header" : offered))")
    }
}
