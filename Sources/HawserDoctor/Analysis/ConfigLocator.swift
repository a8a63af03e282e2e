import HawserCore

/// Finds, in the user's registries.yaml, the lines behind an attempt: the
/// mirror endpoint that produced it, and the configs entry for its host.
struct ConfigLocator {
    let config: RegistriesConfig?
    let image: ImageReference

    var file: String? { config?.file }

    /// The mirror entry in force for the image (its registry, else "*").
    var mirror: MirrorEntry? {
        config?.mirror(image.registry) ?? config?.mirror("*")
    }

    /// The endpoint line that produced a mirror attempt.
    func endpointValue(for attempt: Attempt) -> EndpointValue? {
        mirror?.endpoints.first { value in
            guard let address = try? EndpointAddress(parsing: value.text) else { return false }
            return address.host == attempt.endpoint.host && address.path == attempt.endpoint.path
                && address.scheme == attempt.endpoint.scheme.rawValue
        }
    }

    /// The configs entry K3s attaches to the attempt's host.
    func configEntry(for attempt: Attempt) -> ConfigEntry? {
        guard let config else { return nil }
        let host = attempt.endpoint.host == "registry-1.docker.io" ? "docker.io" : attempt.endpoint.host
        return K3sHostsGenerator.config(config, for: host)
    }

    /// A configs entry with TLS settings that is NOT the one for this host, but
    /// that the user plausibly meant for it (the mirrored registry's key, the
    /// same host with another port, or "*").
    func misplacedTLS(for attempt: Attempt) -> ConfigEntry? {
        misplaced(for: attempt) { $0.tls != nil }
    }

    func misplacedAuth(for attempt: Attempt) -> ConfigEntry? {
        misplaced(for: attempt) { $0.auth.map { !$0.isEmpty } ?? false }
    }

    private func misplaced(for attempt: Attempt, where matches: (ConfigEntry) -> Bool) -> ConfigEntry? {
        guard let config else { return nil }
        let own = configEntry(for: attempt)?.key
        let host = HostPort(attempt.endpoint.host).host
        let candidates = config.configs.filter { $0.key != own && matches($0) }
        return candidates.first { $0.key == image.registry }
            ?? candidates.first { HostPort($0.key).host == host }
            ?? candidates.first { $0.key == "*" }
    }

    /// A mirror key for the same host with another port (or none) than the image uses.
    var nearMirrorKey: MirrorEntry? {
        guard let config, config.mirror(image.registry) == nil else { return nil }
        let host = HostPort(image.registry).host
        return config.mirrors.first { $0.key != "*" && HostPort($0.key).host == host && $0.key != image.registry }
    }

    /// `configs."key"` path text.
    static func configsPath(_ key: String, _ rest: String) -> String { "configs.\"\(key)\".\(rest)" }
}
