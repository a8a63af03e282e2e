/// One host of a hosts.toml as containerd reads it: a `[host."…"]` table or the
/// root (`server` and the settings beside it).
public struct HostEntry: Sendable, Hashable {
    /// The key or `server` value as written ("" when there is no server).
    public var written: String
    /// Scheme, host and API path after containerd's parsing; nil for an empty
    /// server, which containerd replaces with the registry's default host.
    public var endpoint: Endpoint?
    public var capabilities: Capabilities
    public var tls: TLSSettings
    public var headers: [String: [String]]
    public var overridePath: Bool
    /// K3s's containerd fork: `rewrite` table, sorted by pattern.
    public var rewrites: [RewriteRule]

    public init(written: String, endpoint: Endpoint?, capabilities: Capabilities = .all, tls: TLSSettings = TLSSettings(),
                headers: [String: [String]] = [:], overridePath: Bool = false, rewrites: [RewriteRule] = []) {
        self.written = written
        self.endpoint = endpoint
        self.capabilities = capabilities
        self.tls = tls
        self.headers = headers
        self.overridePath = overridePath
        self.rewrites = rewrites
    }
}
