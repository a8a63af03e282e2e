import ArgumentParser
import HawserCore

/// `--config registries.yaml` or `--hosts-dir DIR`: where the hosts come from.
/// With neither, what is in force on this node (or the node under `--root`):
/// the certs.d tree containerd reads, else registries.yaml, else nothing
/// (containerd's default host for the registry).
struct PlanSourceOptions: ParsableArguments {
    @Option(name: .long, help: "A K3s registries.yaml (read as K3s does, through the same generator as `render`).")
    var config: String?

    @Option(name: .long, help: "An existing containerd certs.d directory (with <registry>/hosts.toml folders).")
    var hostsDir: String?

    @Option(name: .long, help: "With --hosts-dir: a registries.yaml whose `configs` supply credentials (K3s keeps auth out of hosts.toml).")
    var credentials: String?

    @Option(name: .long, help: "Read the node's files under this folder instead of / (a copy of a node, a container's filesystem).")
    var root: String?

    @OptionGroup var k3s: K3sAgentOptions

    func validate() throws {
        if config != nil && hostsDir != nil {
            throw ValidationError("give either --config or --hosts-dir, not both")
        }
        if root != nil && (config != nil || hostsDir != nil) {
            throw ValidationError("--root reads a node's own files; it does not go with --config or --hosts-dir")
        }
        if credentials != nil && hostsDir == nil {
            throw ValidationError("--credentials goes with --hosts-dir; with --config the credentials come from that file")
        }
    }

    /// The containerd the node's binaries name, when plans come from the node.
    func nodeContainerd() -> Containerd? {
        guard config == nil && hostsDir == nil else { return nil }
        return NodeConfiguration.read(root: NodeRoot(root ?? "/")).versions.containerd
    }

    func load() throws -> HostsConfiguration {
        if let config {
            return try HostsConfiguration.registriesYAML(atPath: config, options: k3s.renderOptions)
        }
        guard let hostsDir else {
            // Neither: what this node has in force, said on stderr so that JSON stays clean.
            let node = NodeConfiguration.read(root: NodeRoot(root ?? "/"))
            Terminal.error(Terminal.dim("reading the node: \(node.summary)"))
            if let configuration = try node.hostsConfiguration() { return configuration }
            return HostsConfiguration.fromRegistries(RegistriesConfig(file: "(no configuration)"), path: "(no configuration: containerd's defaults)",
                                                     options: k3s.renderOptions)
        }
        let credentialsConfig = try credentials.map { try RegistriesConfig.load(contentsOf: $0).config }
        return HostsConfiguration.hostsDirectory(atPath: hostsDir, credentials: credentialsConfig)
    }
}
