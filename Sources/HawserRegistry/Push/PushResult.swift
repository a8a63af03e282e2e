import HawserCore

/// What a push did.
public struct PushResult: Sendable {
    public let image: ImageReference
    /// The manifest or index pushed under the reference.
    public let manifest: Descriptor
    /// The host pushed to.
    public let target: Attempt
    public let attempts: [AttemptReport]
    public let totalSize: Int64
    public let uploadedBytes: Int64
    public let skippedBlobs: Int
}
