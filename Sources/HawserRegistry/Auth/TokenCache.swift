/// Tokens by realm, service and scope, kept until they expire. Concurrent
/// requests for the same key share one fetch.
public actor TokenCache {
    struct Key: Hashable {
        let realm: String
        let service: String
        let scopes: [String]
        /// Tokens obtained with credentials are not handed to anonymous callers and vice versa.
        let identity: String
    }

    private var tokens: [Key: BearerToken] = [:]
    private var inFlight: [Key: Task<BearerToken, any Error>] = [:]

    public init() {}

    func token(for key: Key, fetch: @escaping @Sendable () async throws -> BearerToken) async throws -> BearerToken {
        if let cached = tokens[key], cached.isValid() { return cached }
        if let running = inFlight[key] { return try await running.value }
        let task = Task { try await fetch() }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        let token = try await task.value
        tokens[key] = token
        return token
    }

    func invalidate(_ key: Key) {
        tokens[key] = nil
    }
}
