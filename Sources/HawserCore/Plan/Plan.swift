/// The ordered attempts containerd would make for one image. A plain value:
/// `resolve` prints it, `pull` walks it, `doctor` probes it.
public struct Plan: Sendable, Hashable {
    /// Where the hosts came from.
    public enum Source: Sendable, Hashable {
        /// registries.yaml, through K3s's generator (`directory` is the certs.d
        /// folder K3s would write, nil when it writes none for this registry).
        case registriesYAML(path: String, directory: String?)
        /// An existing certs.d tree (`directory` is the folder found, nil when none).
        case hostsDirectory(path: String, directory: String?)
    }

    public let image: ImageReference
    public let source: Source
    public let attempts: [Attempt]
    /// Attempts left out because their capabilities do not allow this image.
    public let skipped: [Attempt]
    /// The containerd whose rules made this plan.
    public let containerd: Containerd
    /// The hosts.toml that applies but that this containerd cannot decode: it logs
    /// the error and ignores the file (nil when none was ignored).
    public var ignoredFile: IgnoredHostsFile?
    /// A `ca` or `client` file of the hosts.toml that cannot be read: containerd
    /// then fails the pull with this error before contacting any host.
    public var unreadableTLSFile: UnreadableTLSFile?

    /// Whether `unreadableTLSFile` is what the node meets: true for a certs.d tree
    /// read in place (the node's own files); for a registries.yaml the paths name
    /// files on the node, which may simply not be on this machine.
    public var tlsFileFailsPull: Bool {
        guard unreadableTLSFile != nil, case .hostsDirectory = source else { return false }
        return true
    }

    public init(image: ImageReference, source: Source, attempts: [Attempt], skipped: [Attempt] = [], containerd: Containerd = .default,
                ignoredFile: IgnoredHostsFile? = nil, unreadableTLSFile: UnreadableTLSFile? = nil) {
        self.image = image
        self.source = source
        self.attempts = attempts
        self.skipped = skipped
        self.containerd = containerd
        self.ignoredFile = ignoredFile
        self.unreadableTLSFile = unreadableTLSFile
    }
}
