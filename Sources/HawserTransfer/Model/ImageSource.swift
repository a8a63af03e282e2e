import HawserCore
import HawserRegistry

/// Where an image is read from: a registry repository, an OCI layout, a mirror
/// store. `hawser copy`, `sync` and `serve` read through this and nothing else,
/// so each kind of place is written once (as go-containerregistry's remote and
/// layout packages share one interface).
///
/// Manifests come back as the exact bytes stored (with their media type and
/// digest): a copy writes those bytes, never a re-encoding, so every digest
/// is preserved. Blobs come back as streams or file ranges, never in memory.
public protocol ImageSource: Sendable {
    /// Which side and place, in words, for messages ("source registry 10.0.0.5:5000 (team/app)").
    var place: TransferPlace { get }

    /// Where a registry on the same host could mount this source's blobs from
    /// (nil: not a registry, so nothing can be mounted).
    var mountOrigin: MountOrigin? { get }

    /// A tag or digest to the descriptor of what it names (manifest or index).
    func resolve(_ reference: String) async throws -> Descriptor

    /// The manifest or index `descriptor` names: its bytes, exactly as stored,
    /// checked against the descriptor's digest.
    func manifest(_ descriptor: Descriptor) async throws -> ManifestContent

    /// The blob's bytes from `offset` on (a resume starts past what the
    /// destination already holds). Bounded memory whatever the blob's size.
    func blob(_ descriptor: Descriptor, from offset: Int64) async throws -> BlobBody

    /// Writes the blob into a layout (verified, under its digest), resuming
    /// after a transient failure. The default streams `blob(_:from:)` in.
    func fetchBlob(_ descriptor: Descriptor, into layout: OCILayout, progress: (@Sendable (Int) -> Void)?) async throws

    /// The manifests whose `subject` is `descriptor` (OCI 1.1 referrers: signatures,
    /// SBOMs), by the referrers API where the source has one, else the tag schema
    /// (`<alg>-<hex>`). Empty when there are none.
    func referrers(of descriptor: Descriptor) async throws -> [Descriptor]
}

extension ImageSource {
    public func fetchBlob(_ descriptor: Descriptor, into layout: OCILayout, progress: (@Sendable (Int) -> Void)?) async throws {
        try await LayoutIngestion.ingest(descriptor, into: layout, from: self, progress: progress)
    }
}
