/// Whose containerd: upstream's releases, or K3s's fork (k3s-io/containerd,
/// versions like 2.1.5-k3s1), which K3s and RKE2 embed.
public enum ContainerdBuild: String, Sendable, Hashable, Codable, CaseIterable {
    /// containerd as released by the containerd project (Debian's package, most distributions).
    case upstream
    /// K3s's build: adds `rewrite` tables and skips the default host when hosts.toml has no `server`.
    case k3s
}
