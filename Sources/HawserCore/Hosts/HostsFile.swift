/// One certs.d/<dir>/hosts.toml in containerd's terms: the `[host]` entries in
/// file order, then the server (always tried last). This is the one model both
/// `--config` (through K3s's generator) and `--hosts-dir` arrive at.
public struct HostsFile: Sendable, Hashable {
    /// Path or name of the file, for messages.
    public var source: String
    public var hosts: [HostEntry]
    /// The root entry. nil when the file has no `server` key: containerd then
    /// does NOT fall back to the registry's default endpoint (what K3s's
    /// --disable-default-registry-endpoint relies on). Present but empty
    /// (`server = ""`): the registry's default endpoint, `endpoint` nil.
    public var server: HostEntry?
    /// Whether the file has a `[host]` table at all (containerd up to 1.7.31
    /// rejects a file without one).
    public var hasHostTable: Bool

    public init(source: String, hosts: [HostEntry], server: HostEntry?, hasHostTable: Bool = true) {
        self.source = source
        self.hosts = hosts
        self.server = server
        self.hasHostTable = hasHostTable
    }
}
