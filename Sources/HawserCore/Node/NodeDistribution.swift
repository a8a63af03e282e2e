/// Which kind of node the files belong to, and where each keeps its registry
/// configuration by default.
public enum NodeDistribution: String, Sendable, Hashable, Codable {
    case k3s
    case rke2
    /// containerd configured by hand (or by a distribution package).
    case containerd

    /// /etc/rancher/k3s, /etc/rancher/rke2.
    var configDirectory: String? {
        switch self {
        case .k3s: "/etc/rancher/k3s"
        case .rke2: "/etc/rancher/rke2"
        case .containerd: nil
        }
    }

    /// The data dir K3s/RKE2 use when `data-dir` is not set.
    var defaultDataDirectory: String? {
        switch self {
        case .k3s: "/var/lib/rancher/k3s"
        case .rke2: "/var/lib/rancher/rke2"
        case .containerd: nil
        }
    }

    /// The service to restart for a new registries.yaml to take effect.
    var restartAdvice: String {
        switch self {
        case .k3s: "restart K3s on every node that has the file: `systemctl restart k3s` on servers, `systemctl restart k3s-agent` on agents"
        case .rke2: "restart RKE2 on every node that has the file: `systemctl restart rke2-server` on servers, `systemctl restart rke2-agent` on agents"
        case .containerd: "restart containerd (`systemctl restart containerd`)"
        }
    }
}
