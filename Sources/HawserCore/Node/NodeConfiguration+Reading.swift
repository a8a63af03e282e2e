extension NodeConfiguration {
    /// Finds and reads the node's files: K3s first, then RKE2, then a plain
    /// containerd. Nothing found: `distribution` is nil (containerd's defaults).
    public static func read(root: NodeRoot = NodeRoot()) -> NodeConfiguration {
        for distribution in [NodeDistribution.k3s, .rke2] {
            guard let directory = distribution.configDirectory, let data = distribution.defaultDataDirectory else { continue }
            if root.exists(directory) || root.exists(data) {
                return readRancher(distribution, configDirectory: directory, root: root)
            }
        }
        return readContainerd(root: root)
    }

    static func readRancher(_ distribution: NodeDistribution, configDirectory: String, root: NodeRoot) -> NodeConfiguration {
        let flags = K3sNodeFlags.read(configDirectory, root: root)
        let data = flags.dataDirectory ?? distribution.defaultDataDirectory ?? "/"
        let containerdDirectory = data + "/agent/etc/containerd"
        let config = NodeFile(path: containerdDirectory + "/config.toml", role: "containerd config (generated)", root: root)
        let settings = root.text(config.path).map(ContainerdConfigFile.parse)
        let template = ["config-v3.toml.tmpl", "config.toml.tmpl"].map { NodeFile(path: containerdDirectory + "/" + $0, role: "containerd config template", root: root) }
            .first(where: \.exists)
        // A config.toml without config_path (a custom template) makes containerd read no certs.d at all.
        let certs: String? = settings.map { $0.configPath.flatMap { firstPath($0, root: root) } } ?? containerdDirectory + "/certs.d"
        return NodeConfiguration(
            root: root, distribution: distribution, flags: flags,
            registriesYAML: NodeFile(path: flags.privateRegistry ?? configDirectory + "/registries.yaml", role: "registries.yaml", root: root),
            certsDirectory: certs.map { NodeFile(path: $0, role: "certs.d (generated)", root: root) },
            containerdConfig: config, containerdTemplate: template, containerdSettings: settings)
    }

    static func readContainerd(root: NodeRoot) -> NodeConfiguration {
        let config = NodeFile(path: "/etc/containerd/config.toml", role: "containerd config", root: root)
        let settings = root.text(config.path).map(ContainerdConfigFile.parse)
        // containerd 2.x's default config_path is /etc/containerd/certs.d:/etc/docker/certs.d.
        let certsPath = settings?.configPath.flatMap { firstPath($0, root: root) }
            ?? (root.exists("/etc/containerd/certs.d") ? "/etc/containerd/certs.d" : nil)
        let found = config.exists || certsPath != nil
        return NodeConfiguration(
            root: root, distribution: found ? .containerd : nil, flags: K3sNodeFlags(), registriesYAML: nil,
            certsDirectory: certsPath.map { NodeFile(path: $0, role: "certs.d", root: root) },
            containerdConfig: found ? config : nil, containerdTemplate: nil, containerdSettings: settings)
    }

    /// config_path may list several folders separated by ":": the first that exists.
    static func firstPath(_ list: String, root: NodeRoot) -> String? {
        let paths = list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        return paths.first(where: root.exists) ?? paths.first
    }
}
