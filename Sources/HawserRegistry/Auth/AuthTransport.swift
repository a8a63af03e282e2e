import HawserCore

/// Adds the attempt host's Authorization to requests for that host only; on
/// a 401 takes the challenge, authenticates, and retries once (containerd).
struct AuthTransport: HTTPTransport {
    let next: any HTTPTransport
    let authenticator: Authenticator
    let endpoint: Endpoint
    /// e.g. `repository:library/alpine:pull`.
    let scopes: [String]

    func send(_ request: RegistryRequest) async throws -> RegistryResponse {
        let identity = HostIdentity(endpoint: endpoint)
        guard identity.sameHost(asURL: request.url, endpoint: endpoint) else { return try await next.send(request) }
        var outgoing = request
        let header = try await authenticator.authorization(scopes: scopes)
        if let header { outgoing.headers.replaceOrAdd(name: "Authorization", value: header) }
        let response = try await next.send(outgoing)
        // A 401 from another host (blob storage after a redirect) is not this host's challenge.
        guard response.status == 401, identity.sameHost(asURL: response.url, endpoint: endpoint) else { return response }
        let challenges = AuthChallenge.parse(response.headers["WWW-Authenticate"])
        _ = try? await response.collect(limit: 64 << 10)
        try await authenticator.accept(challenges, url: request.url, method: request.method.rawValue, scopes: scopes, previous: header)
        var retry = request
        if let header = try await authenticator.authorization(scopes: scopes) {
            retry.headers.replaceOrAdd(name: "Authorization", value: header)
        }
        return try await next.send(retry)
    }
}
