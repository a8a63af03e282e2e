/// One host containerd would try for an image, in order, with everything that
/// decides how the request is made.
public struct Attempt: Sendable, Hashable {
    /// Why this attempt is in the plan.
    public enum Role: Sendable, Hashable {
        /// A `[host."…"]` entry: position among the entries, and how many there are.
        case mirror(position: Int, of: Int)
        /// The `server` line (or containerd's default host): always tried last.
        case server(implicit: Bool)
    }

    /// A rewrite that changed the repository for this host.
    public struct Rewrite: Sendable, Hashable, Codable {
        public let pattern: String
        public let replacement: String
        public let original: String
        public let rewritten: String
    }

    /// 1-based position in the plan.
    public let position: Int
    public let role: Role
    public let endpoint: Endpoint
    public let transport: TransportMode
    public let capabilities: Capabilities
    /// Repository as sent to this host (after any rewrite).
    public let repository: String
    public let rewrite: Rewrite?
    /// `ns` query parameter: the image's registry, when this host is not the registry itself.
    public let namespace: String?
    /// Key of the registries.yaml `configs` entry whose credentials go to this host,
    /// nil when none applies. Never the secret itself.
    public let credentialsKey: String?
    /// Extra headers from hosts.toml `header`.
    public let headers: [String: [String]]

    public init(
        position: Int, role: Role, endpoint: Endpoint, transport: TransportMode, capabilities: Capabilities,
        repository: String, rewrite: Rewrite?, namespace: String?, credentialsKey: String?, headers: [String: [String]] = [:]
    ) {
        self.position = position
        self.role = role
        self.endpoint = endpoint
        self.transport = transport
        self.capabilities = capabilities
        self.repository = repository
        self.rewrite = rewrite
        self.namespace = namespace
        self.credentialsKey = credentialsKey
        self.headers = headers
    }

    /// URL of an API call on this host for this image's repository, `?ns=` included.
    public func url(_ components: String...) -> String {
        endpoint.url(repository: repository, components: components, namespace: namespace)
    }

    /// The URL containerd asks first: the manifest of the reference.
    public func manifestURL(for image: ImageReference) -> String {
        url("manifests", image.manifestReference)
    }

    /// Whether this host may serve the image: fetching by digest needs `pull`,
    /// resolving a tag needs `pull` and `resolve` (containerd's filterHosts).
    public func canServe(_ image: ImageReference) -> Bool {
        Containerd.canServe(image, capabilities: capabilities)
    }

    /// "mirror endpoint 1 of 2", "default endpoint, tried last".
    public var reason: String {
        switch role {
        case .mirror(let position, let count):
            return "mirror endpoint \(position) of \(count)"
        case .server(let implicit):
            return implicit ? "default endpoint (no hosts.toml server line), tried last" : "default endpoint (server), tried last"
        }
    }
}
