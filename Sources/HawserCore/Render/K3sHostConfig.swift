/// What K3s writes into one certs.d/<directory>/hosts.toml, before rendering
/// (K3s's `HostConfig`): the default endpoint (the `server` line) and the
/// `[host."…"]` entries in order.
public struct K3sHostConfig: Sendable, Hashable {
    /// One endpoint with the configuration K3s attaches to it.
    public struct Endpoint: Sendable, Hashable {
        /// Normalised URL; nil for the wildcard's config-only default (no server
        /// line), "" for the wildcard mirror's default (`server = ""`).
        public var url: String?
        /// The `configs` entry for this endpoint's host, if any.
        public var config: ConfigEntry?
        public var rewrites: [RewriteRule]
        public var overridePath: Bool

        public init(url: String?, config: ConfigEntry? = nil, rewrites: [RewriteRule] = [], overridePath: Bool = false) {
            self.url = url
            self.config = config
            self.rewrites = rewrites
            self.overridePath = overridePath
        }

        /// K3s's `endpointHasConfig`: worth a file even with no other endpoints.
        var hasConfig: Bool { overridePath || config?.hasSettings == true || !rewrites.isEmpty }
    }

    /// Directory name under certs.d (`*` becomes `_default`).
    public var directory: String
    /// The registry key this file is for, as written in registries.yaml.
    public var registry: String
    public var defaultEndpoint: Endpoint?
    public var endpoints: [Endpoint]

    public init(directory: String, registry: String, defaultEndpoint: Endpoint?, endpoints: [Endpoint] = []) {
        self.directory = directory
        self.registry = registry
        self.defaultEndpoint = defaultEndpoint
        self.endpoints = endpoints
    }
}
