import HawserCore

/// What `ImageCopier` copies and how.
public struct CopyOptions: Sendable, Hashable {
    /// Platforms to keep from an index (empty: the whole index, every platform).
    /// One platform: its image manifest alone. Several: a new index listing them.
    public var platforms: [Platform]
    /// Also copy the OCI 1.1 referrers (signatures, SBOMs) of what is copied.
    public var referrers: Bool
    /// Blobs in flight at once.
    public var concurrency: Int
    public var blobs: BlobCopyOptions

    public init(platforms: [Platform] = [], referrers: Bool = false, concurrency: Int = 8, blobs: BlobCopyOptions = BlobCopyOptions()) {
        self.platforms = platforms
        self.referrers = referrers
        self.concurrency = max(1, concurrency)
        self.blobs = blobs
    }
}
