extension NodeConfiguration {
    /// Where plans come from on this node: the certs.d tree containerd reads
    /// (credentials from registries.yaml, which K3s copies into config.toml),
    /// else registries.yaml rendered as K3s will at its next start, else nil
    /// (nothing configured: containerd's defaults).
    public func hostsConfiguration() throws(ConfigError) -> HostsConfiguration? {
        let registries = try registriesYAML.flatMap { file throws(ConfigError) -> RegistriesConfig.Loaded? in
            file.exists ? try RegistriesConfig.load(contentsOf: root.resolve(file.path)) : nil
        }
        if let certs = certsDirectory, certs.exists {
            return HostsConfiguration.hostsDirectory(atPath: root.resolve(certs.path), credentials: registries?.config)
        }
        // containerd's config is there but names no certs.d: registries.yaml is not in force at all.
        if containerdConfig?.exists == true && certsDirectory == nil { return nil }
        if let registries, let file = registriesYAML {
            return HostsConfiguration.fromRegistries(registries.config, path: root.resolve(file.path), options: renderOptions,
                                                     findings: registries.findings)
        }
        return nil
    }

    /// One line per file read, for "from …" headers.
    public var summary: String {
        guard let distribution else { return "no K3s, RKE2 or containerd configuration found under \(root.path): containerd's defaults" }
        let found = files.filter(\.exists).map(\.path)
        return "\(distribution.rawValue) node: " + (found.isEmpty ? "no configuration files" : found.joined(separator: ", "))
    }
}
