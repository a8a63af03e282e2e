/// K3s's `getHostConfigs` (pkg/agent/containerd/config.go): registries.yaml to
/// one `K3sHostConfig` per certs.d directory, quirks included (SPEC.md §3).
public struct K3sHostsGenerator: Sendable {
    public let options: RenderOptions

    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    /// What K3s logs while generating (skipped endpoints), as findings.
    public struct Output: Sendable {
        /// Sorted by directory name.
        public let hosts: [K3sHostConfig]
        public let findings: [Finding]
        /// The configuration after the embedded-registry injection, as generated from.
        public let effective: RegistriesConfig
    }

    public func generate(_ input: RegistriesConfig) -> Output {
        let registry = effectiveConfig(input)
        let embedded = options.embeddedRegistry?.address
        var findings: [Finding] = []
        var hosts: [String: K3sHostConfig] = [:]

        // Pass 1: every configs key gets an entry whose default endpoint is the key itself.
        for entry in registry.configs {
            let directory = entry.key == "*" ? "_default" : entry.key
            if entry.key == "*" {
                hosts[directory] = K3sHostConfig(directory: directory, registry: entry.key,
                                                 defaultEndpoint: .init(url: nil, config: entry))
                continue
            }
            guard let address = try? EndpointAddress(parsing: entry.key, embeddedRegistry: embedded) else { continue }
            hosts[directory] = K3sHostConfig(directory: directory, registry: entry.key,
                                             defaultEndpoint: .init(url: address.url, config: entry))
        }

        // Pass 2: mirrors, reusing the pass-1 entry under the same key when there is one.
        for mirror in registry.mirrors {
            var host: K3sHostConfig
            if let existing = hosts[mirror.key] {
                host = existing  // quirk: --disable-default-registry-endpoint is not applied here
            } else {
                var defaultEndpoint: K3sHostConfig.Endpoint?
                if mirror.key == "*" {
                    defaultEndpoint = .init(url: "")
                } else {
                    do {
                        let address = try EndpointAddress(parsing: mirror.key, embeddedRegistry: embedded)
                        defaultEndpoint = .init(url: address.url, config: Self.config(registry, for: mirror.key))
                    } catch {
                        findings.append(Finding(
                            .invalidMirrorKey, at: mirror.location,
                            "mirror key `\(mirror.key)` is not a valid registry host: \(error.reason)",
                            consequence: "K3s logs an error and writes nothing for this registry; images named with it go to their default registry unchanged",
                            fix: "use the registry host exactly as written in image names, e.g. `registry.example.com:5000`"))
                        continue
                    }
                }
                if options.disableDefaultEndpoint { defaultEndpoint = nil }
                host = K3sHostConfig(directory: mirror.key == "*" ? "_default" : mirror.key, registry: mirror.key,
                                     defaultEndpoint: defaultEndpoint)
            }

            var seen: Set<String> = []
            for (index, value) in mirror.endpoints.enumerated() {
                let address: EndpointAddress
                do {
                    address = try EndpointAddress(parsing: value.text, embeddedRegistry: embedded)
                } catch {
                    findings.append(Finding(
                        .invalidEndpoint, at: value.location,
                        "endpoint \(index + 1) of mirror `\(mirror.key)` is invalid: \(error.reason)",
                        consequence: "K3s logs \"Ignoring invalid endpoint URL\" and skips it",
                        fix: "write a URL such as https://registry.example.com or http://host:5000"))
                    continue
                }
                guard seen.insert(address.url).inserted else {
                    findings.append(Finding(
                        .duplicateEndpoint, at: value.location,
                        "endpoint \"\(value.text)\" of mirror `\(mirror.key)` repeats an earlier endpoint (both are \(address.url))",
                        consequence: "K3s skips the repetition (\"Skipping duplicate endpoint URL\")",
                        fix: "remove the duplicate line"))
                    continue
                }
                let endpoint = K3sHostConfig.Endpoint(
                    url: address.url,
                    config: Self.config(registry, for: address.registryName),
                    rewrites: address.host == embedded ? [] : mirror.rewrites,
                    overridePath: address.overridePath)
                if index + 1 == mirror.endpoints.count, let current = host.defaultEndpoint?.url, !current.isEmpty, current == address.url {
                    host.defaultEndpoint = endpoint  // the last endpoint IS the default: it becomes the server line
                } else {
                    host.endpoints.append(endpoint)
                }
            }
            hosts[host.directory] = host
        }

        // Pass 3: drop files that would only restate containerd's defaults.
        let kept = hosts.values
            .filter { !$0.endpoints.isEmpty || $0.defaultEndpoint?.hasConfig == true }
            .sorted { $0.directory < $1.directory }
        return Output(hosts: kept, findings: findings, effective: registry)
    }

    /// K3s's `configForHost`: the exact key, but for docker.io an entry under
    /// registry-1.docker.io first. No wildcard, no port stripping.
    public static func config(_ registry: RegistriesConfig, for host: String) -> ConfigEntry? {
        if host == "docker.io", let entry = registry.config("registry-1.docker.io") { return entry }
        return registry.config(host)
    }

    /// The embedded registry's injection (spegel's InjectMirror), applied before generation.
    func effectiveConfig(_ input: RegistriesConfig) -> RegistriesConfig {
        guard let embedded = options.embeddedRegistry else { return input }
        var registry = input
        let url = "https://\(embedded.address)/v2"
        registry.configs.removeAll { $0.key == embedded.address }
        registry.configs.append(ConfigEntry(
            key: embedded.address,
            tls: TLSConfig(caFile: embedded.caFile, certFile: embedded.certFile, keyFile: embedded.keyFile)))
        for index in registry.mirrors.indices where !HostPort(registry.mirrors[index].key).isLocalhost {
            registry.mirrors[index].endpoints.insert(EndpointValue(url), at: 0)
        }
        registry.mirrors.removeAll { $0.key == embedded.address }
        registry.mirrors.append(MirrorEntry(key: embedded.address, endpoints: [EndpointValue(url)]))
        return registry
    }
}
