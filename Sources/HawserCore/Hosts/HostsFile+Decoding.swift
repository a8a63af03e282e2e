/// A hosts.toml that applies to the registry but that the containerd being
/// modelled cannot decode. containerd logs "failed to decode hosts.toml" and
/// goes on as if the file were not there: the folder's docker-style
/// certificates (if any) and the registry's default host.
public struct IgnoredHostsFile: Sendable, Hashable, Codable {
    /// The file, as a path or "<dir>/hosts.toml (as K3s writes it)".
    public let file: String
    /// Why containerd cannot decode it, in containerd's words where it has them.
    public let reason: String
    public let line: Int?

    public init(file: String, reason: String, line: Int? = nil) {
        self.file = file
        self.reason = reason
        self.line = line
    }
}

extension HostsFile {
    /// Why this containerd would refuse a file Hawser could read, nil when it
    /// decodes it (hosts.go parseHostsFile and parseHostConfig, per version).
    public func rejection(by containerd: Containerd) -> String? {
        if !hasHostTable && containerd.has(.fileWithoutHostTableRejected) {
            return "invalid `host` tree"
        }
        let entries = hosts + (server.map { [$0] } ?? [])
        if !containerd.has(.referrersCapability), entries.contains(where: { $0.capabilities.contains(.referrers) }) {
            return "unknown capability referrers"
        }
        return nil
    }
}
