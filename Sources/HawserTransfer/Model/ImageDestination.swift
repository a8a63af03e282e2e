import HawserCore
import HawserRegistry

/// Where an image is written: a registry repository, an OCI layout, a mirror
/// store. Blobs go before the manifests that list them, children before their
/// index, so a reader never finds a manifest whose content is missing.
public protocol ImageDestination: Sendable {
    /// Which side and place, in words, for messages.
    var place: TransferPlace { get }

    /// What the destination holds under a tag or digest (nil: nothing).
    func existingManifest(_ reference: String) async throws -> Descriptor?

    /// Whether the blob is already there (then it is not copied).
    func hasBlob(_ descriptor: Descriptor) async throws -> Bool

    /// Writes the blob, reading it from `source`: mounted from `source.mountOrigin`
    /// when the destination is the same registry, else streamed. Transient
    /// failures are retried, resuming where the destination can.
    /// Returns how the blob got there.
    func putBlob(_ descriptor: Descriptor, from source: any ImageSource, options: BlobCopyOptions,
                 progress: (@Sendable (Int) -> Void)?) async throws -> BlobOutcome

    /// Stores the manifest's bytes unchanged: under `tag`, or by digest when nil.
    func putManifest(_ manifest: ManifestContent, tag: String?) async throws
}

/// How one blob reached the destination.
public enum BlobOutcome: String, Sendable, Hashable, Codable {
    /// Already there (a HEAD said so).
    case present
    /// Linked from another repository of the same registry, no bytes moved.
    case mounted
    /// Its bytes were sent.
    case uploaded
}

/// How blobs are written.
public struct BlobCopyOptions: Sendable, Hashable {
    /// Blobs larger than this go in PATCH chunks of this size; smaller ones in one PUT.
    public var chunkThreshold: Int64
    /// Attempts per blob: the first, and retries after a transient failure.
    public var attempts: Int

    /// Chunks cost a request each, so only blobs past what proxies in front of
    /// registries commonly refuse in one body go in chunks (256 MiB).
    public static let defaultChunkThreshold: Int64 = 256 << 20

    public init(chunkThreshold: Int64 = BlobCopyOptions.defaultChunkThreshold, attempts: Int = 4) {
        self.chunkThreshold = max(1, chunkThreshold)
        self.attempts = max(1, attempts)
    }
}
