import HawserCore
import HawserTestSupport

/// Plans built directly (the configuration side builds them from files).
enum PlanFactory {
    static func attempt(
        _ position: Int, _ url: String, transport: TransportMode? = nil, repository: String,
        namespace: String? = nil, credentialsKey: String? = nil, capabilities: Capabilities = .all, server: Bool = false, of count: Int = 1
    ) -> Attempt {
        let scheme: Endpoint.Scheme = url.hasPrefix("https://") ? .https : .http
        let rest = url.split(separator: "://", maxSplits: 1).last.map(String.init) ?? url
        let host = rest.split(separator: "/", maxSplits: 1).first.map(String.init) ?? rest
        let endpoint = Endpoint(scheme: scheme, host: host, path: "/v2")
        let mode = transport ?? (scheme == .http ? .plainHTTP : .https(TLSSettings()))
        return Attempt(position: position, role: server ? .server(implicit: false) : .mirror(position: position, of: count),
                       endpoint: endpoint, transport: mode, capabilities: capabilities, repository: repository,
                       rewrite: nil, namespace: namespace, credentialsKey: credentialsKey)
    }

    static func plan(_ image: String, _ attempts: [Attempt]) throws -> Plan {
        Plan(image: try ImageReference(parsing: image), source: .hostsDirectory(path: "/test", directory: nil), attempts: attempts)
    }

    /// A plan with only the registry itself as server.
    static func direct(_ image: String, url: String, transport: TransportMode? = nil, credentialsKey: String? = nil) throws -> Plan {
        let reference = try ImageReference(parsing: image)
        return try plan(image, [attempt(1, url, transport: transport, repository: reference.repository, credentialsKey: credentialsKey, server: true)])
    }
}
