import HawserCore

public struct PullOptions: Sendable {
    /// The platform chosen from an index (default: this machine's).
    public var platform: Platform
    /// Blobs downloaded at once.
    public var concurrency: Int
    /// The name recorded in index.json (`org.opencontainers.image.ref.name`);
    /// default: the reference's tag (none for a digest-only reference).
    public var referenceName: String?

    public init(platform: Platform = .current, concurrency: Int = 4, referenceName: String? = nil) {
        self.platform = platform
        self.concurrency = max(1, concurrency)
        self.referenceName = referenceName
    }
}
