/// The content of a K3s registries.yaml, with where each value was written.
///
/// Keys keep their order of appearance; a key written twice keeps its LAST value
/// (K3s's YAML library behaves so) at the position of its last occurrence.
public struct RegistriesConfig: Sendable, Hashable {
    public var mirrors: [MirrorEntry]
    public var configs: [ConfigEntry]
    /// The file the configuration was read from (for messages).
    public var file: String

    public init(mirrors: [MirrorEntry] = [], configs: [ConfigEntry] = [], file: String = "registries.yaml") {
        self.mirrors = mirrors
        self.configs = configs
        self.file = file
    }

    public func mirror(_ key: String) -> MirrorEntry? { mirrors.last { $0.key == key } }
    public func config(_ key: String) -> ConfigEntry? { configs.last { $0.key == key } }
}

/// `mirrors.<key>`: where images named with registry `key` come from.
public struct MirrorEntry: Sendable, Hashable {
    public var key: String
    public var location: SourceLocation?
    public var endpoints: [EndpointValue]
    /// Rewrites in file order (K3s renders them sorted by pattern).
    public var rewrites: [RewriteRule]

    public init(key: String, location: SourceLocation? = nil, endpoints: [EndpointValue] = [], rewrites: [RewriteRule] = []) {
        self.key = key
        self.location = location
        self.endpoints = endpoints
        self.rewrites = rewrites
    }
}

/// One string of a mirror's `endpoint` list.
public struct EndpointValue: Sendable, Hashable {
    public var text: String
    public var location: SourceLocation?

    public init(_ text: String, location: SourceLocation? = nil) {
        self.text = text
        self.location = location
    }
}

/// `rewrite: {"pattern": "replacement"}`: an RE2 regex on the repository name.
public struct RewriteRule: Sendable, Hashable, Codable {
    public var pattern: String
    public var replacement: String
    public var location: SourceLocation?

    public init(pattern: String, replacement: String, location: SourceLocation? = nil) {
        self.pattern = pattern
        self.replacement = replacement
        self.location = location
    }
}

/// `configs.<host>`: auth and TLS for the host actually contacted.
public struct ConfigEntry: Sendable, Hashable {
    public var key: String
    public var location: SourceLocation?
    public var auth: RegistryCredentials?
    public var authLocation: SourceLocation?
    public var tls: TLSConfig?
    public var tlsLocation: SourceLocation?

    public init(key: String, location: SourceLocation? = nil, auth: RegistryCredentials? = nil, authLocation: SourceLocation? = nil,
                tls: TLSConfig? = nil, tlsLocation: SourceLocation? = nil) {
        self.key = key
        self.location = location
        self.auth = auth
        self.authLocation = authLocation
        self.tls = tls
        self.tlsLocation = tlsLocation
    }

    /// K3s's `endpointHasConfig` counts auth or TLS present at all.
    public var hasSettings: Bool { auth != nil || tls != nil }
}

/// `configs.<host>.tls`.
public struct TLSConfig: Sendable, Hashable {
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    public var insecureSkipVerify: Bool
    public var insecureSkipVerifyLocation: SourceLocation?

    public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil, insecureSkipVerify: Bool = false,
                insecureSkipVerifyLocation: SourceLocation? = nil) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.insecureSkipVerify = insecureSkipVerify
        self.insecureSkipVerifyLocation = insecureSkipVerifyLocation
    }
}
