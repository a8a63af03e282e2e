import HawserCore

/// What a pull did.
public struct PullResult: Sendable {
    public let image: ImageReference
    /// The image manifest stored and named in index.json.
    public let manifest: Descriptor
    /// The index (or manifest list) the reference resolved to, when it was one.
    public let index: Descriptor?
    /// The attempt that served the manifest.
    public let servedBy: Attempt
    public let attempts: [AttemptReport]
    /// Config, layers and manifest.
    public let totalSize: Int64
    /// Bytes actually downloaded (blobs already in the layout are not).
    public let downloadedBytes: Int64
    public let skippedBlobs: Int
    public let layoutPath: String
    /// Blobs found corrupt in the layout (`verifyExisting`) and downloaded again.
    public var replacedBlobs = 0
}
