/// What is configured on a K3s, RKE2 or containerd node, read from its files:
/// which registries.yaml K3s reads and with which flags, and the certs.d tree
/// and config.toml containerd actually uses. containerd follows certs.d and
/// config.toml; registries.yaml is what K3s will write there at its next start.
public struct NodeConfiguration: Sendable {
    public let root: NodeRoot
    /// nil when nothing of K3s, RKE2 or containerd was found.
    public let distribution: NodeDistribution?
    public let flags: K3sNodeFlags
    public let registriesYAML: NodeFile?
    /// The certs.d tree containerd reads (config_path), when it has one.
    public let certsDirectory: NodeFile?
    public let containerdConfig: NodeFile?
    /// K3s's config.toml.tmpl / config-v3.toml.tmpl, when the user supplies one.
    public let containerdTemplate: NodeFile?
    public let containerdSettings: ContainerdConfigFile?

    /// The containerd and K3s versions found in the node's binaries.
    public var versions: NodeVersions { NodeVersions.read(distribution: distribution, dataDirectory: dataDirectory, root: root) }

    /// Every file looked for, found or not, for the report.
    public var files: [NodeFile] {
        [registriesYAML, certsDirectory, containerdConfig, containerdTemplate].compactMap { $0 }
            + flags.files.map { NodeFile(path: $0, role: "\(distribution?.rawValue ?? "K3s") config", root: root) }
    }

    /// The K3s flags that shape rendering, as RenderOptions.
    public var renderOptions: RenderOptions {
        var options = RenderOptions(disableDefaultEndpoint: flags.disableDefaultRegistryEndpoint)
        if flags.embeddedRegistry, let address = embeddedRegistryAddress {
            let data = dataDirectory
            options.embeddedRegistry = .init(address: address, caFile: data + "/agent/server-ca.crt",
                                             certFile: data + "/agent/client-kubelet.crt", keyFile: data + "/agent/client-kubelet.key")
        }
        return options
    }

    public var dataDirectory: String { flags.dataDirectory ?? distribution?.defaultDataDirectory ?? "/" }

    /// The embedded mirror's address: `node-ip`:6443, or as the generated certs.d names it.
    var embeddedRegistryAddress: String? {
        if let ip = flags.nodeIP { return ip.contains(":") ? "[\(ip)]:6443" : "\(ip):6443" }
        guard let certs = certsDirectory, certs.exists else { return nil }
        for name in root.list(certs.path) {
            guard let text = root.text(certs.path + "/" + name + "/hosts.toml") else { continue }
            for line in text.split(separator: "\n") where line.hasPrefix("[host.\"https://") && line.contains(":6443/v2\"]") {
                let start = line.index(line.startIndex, offsetBy: "[host.\"https://".count)
                if let end = line.range(of: "/v2\"]")?.lowerBound { return String(line[start..<end]) }
            }
        }
        return nil
    }
}
