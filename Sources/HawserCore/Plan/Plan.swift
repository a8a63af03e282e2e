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

    public init(image: ImageReference, source: Source, attempts: [Attempt], skipped: [Attempt] = []) {
        self.image = image
        self.source = source
        self.attempts = attempts
        self.skipped = skipped
    }
}
