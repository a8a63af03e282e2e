import Foundation

/// Where hosts come from, behind one door: a registries.yaml (through K3s's
/// generator and renderer, then read back as containerd reads it) or an existing
/// certs.d tree. `plan(for:)` is the same code for both, so `resolve --config X`
/// and `resolve --hosts-dir $(render X)` cannot disagree.
public struct HostsConfiguration: Sendable {
    public enum Origin: Sendable {
        case registriesYAML(path: String, generated: [K3sHostConfig])
        case hostsDirectory(path: String)
    }

    public let origin: Origin
    /// The registries.yaml whose `configs` supply credentials, if any.
    public let registries: RegistriesConfig?
    /// What the loader and generator noticed (unknown keys, skipped endpoints…).
    public let findings: [Finding]

    public init(origin: Origin, registries: RegistriesConfig?, findings: [Finding] = []) {
        self.origin = origin
        self.registries = registries
        self.findings = findings
    }

    public static func registriesYAML(atPath path: String, options: RenderOptions = .init()) throws(ConfigError) -> HostsConfiguration {
        let loaded = try RegistriesConfig.load(contentsOf: path)
        return fromRegistries(loaded.config, path: path, options: options, findings: loaded.findings)
    }

    public static func fromRegistries(_ config: RegistriesConfig, path: String, options: RenderOptions = .init(),
                                      findings: [Finding] = []) -> HostsConfiguration {
        let output = K3sHostsGenerator(options: options).generate(config)
        return HostsConfiguration(origin: .registriesYAML(path: path, generated: output.hosts), registries: output.effective,
                                  findings: findings + output.findings)
    }

    /// An existing certs.d tree; `credentials` optionally names a registries.yaml
    /// whose `configs` hold the auth K3s keeps out of hosts.toml.
    public static func hostsDirectory(atPath path: String, credentials: RegistriesConfig? = nil) -> HostsConfiguration {
        HostsConfiguration(origin: .hostsDirectory(path: path), registries: credentials)
    }

    /// The folder that applies to a registry and its parsed hosts.toml (nil, nil
    /// when none applies: containerd then uses the default host only). Throws when
    /// the file cannot be decoded; `plan(for:containerd:)` turns that into what
    /// containerd does instead.
    public func hostsFile(for registry: String) throws(ConfigError) -> (directory: String?, file: HostsFile?) {
        switch origin {
        case .registriesYAML(_, let generated):
            let byName = Dictionary(generated.map { ($0.directory, $0) }, uniquingKeysWith: { $1 })
            guard let name = HostsDirectoryLookup.directory(for: registry, exists: { byName[$0] != nil }),
                  let host = byName[name] else { return (nil, nil) }
            let text = HostsTomlRenderer.render(host)
            return (name, try HostsFile.parse(text, source: "\(name)/hosts.toml (as K3s writes it)"))
        case .hostsDirectory:
            guard let folder = hostsFolder(for: registry) else { return (nil, nil) }
            let file = (folder.path as NSString).appendingPathComponent("hosts.toml")
            if FileManager.default.fileExists(atPath: file) {
                return (folder.name, try HostsFile.load(contentsOf: file))
            }
            return (folder.name, LegacyCertsDirectory.read(folder.path))
        }
    }

    /// The certs.d folder containerd picks for a registry in a hosts directory.
    func hostsFolder(for registry: String) -> (name: String, path: String)? {
        guard case .hostsDirectory(let root) = origin else { return nil }
        let fileManager = FileManager.default
        guard let name = HostsDirectoryLookup.directory(for: registry, exists: { candidate in
            var isDirectory: ObjCBool = false
            return fileManager.fileExists(atPath: (root as NSString).appendingPathComponent(candidate), isDirectory: &isDirectory)
                && isDirectory.boolValue
        }) else { return nil }
        return (name, (root as NSString).appendingPathComponent(name))
    }

    /// The plan `containerd` follows for an image. A hosts.toml it cannot decode is
    /// ignored as containerd ignores it (the plan says so in `ignoredFile`); a `ca`
    /// or `client` file it cannot read is reported in `unreadableTLSFile`.
    public func plan(for image: ImageReference, containerd: Containerd = .default) throws(ConfigError) -> Plan {
        try plans(for: image).plan(containerd)
    }

    /// The files that decide an image's plan, read once, for planning with several
    /// containerd versions (what `resolve` and `doctor` compare).
    public func plans(for image: ImageReference) throws(ConfigError) -> ImagePlans {
        var directory: String?
        var parsed: Result<HostsFile, ConfigError>?
        do {
            let found = try hostsFile(for: image.registry)
            directory = found.directory
            parsed = found.file.map { .success($0) }
        } catch where error.code == .invalidHostsToml || error.code == .hostsWrongType {
            parsed = .failure(error)
        }
        // hosts.go loadHostDir: after a decoding error, the folder's docker-style certificates, else nothing.
        let folder = hostsFolder(for: image.registry)
        let fallback = folder.map { LegacyCertsDirectory.read($0.path) }
        if case .failure = parsed { directory = directory ?? folder?.name }
        let source: Plan.Source
        switch origin {
        case .registriesYAML(let path, _): source = .registriesYAML(path: path, directory: directory)
        case .hostsDirectory(let path): source = .hostsDirectory(path: path, directory: directory)
        }
        let registries = registries
        return ImagePlans(image: image, source: source, parsed: parsed, fallback: fallback,
                          credentialsKey: { host in Self.credentialsEntry(in: registries, for: host)?.key })
    }

    public func credentials(forKey key: String) -> RegistryCredentials? {
        registries?.config(key)?.auth
    }

    /// The `configs` entry whose auth goes to a contacted host: the exact host,
    /// and for Docker Hub's registry-1.docker.io also `docker.io`. No wildcard.
    public static func credentialsEntry(in registries: RegistriesConfig?, for host: String) -> ConfigEntry? {
        guard let registries else { return nil }
        let keys = host == "registry-1.docker.io" ? ["registry-1.docker.io", "docker.io"] : [host]
        for key in keys {
            if let entry = registries.config(key), let auth = entry.auth, !auth.isEmpty { return entry }
        }
        return nil
    }
}
