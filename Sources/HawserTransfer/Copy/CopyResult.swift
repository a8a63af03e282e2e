import HawserCore
import HawserRegistry

/// What a copy did.
public struct CopyResult: Sendable {
    /// What now stands under the destination's tag (the source's own bytes,
    /// unless several platforms were picked out of an index).
    public let manifest: Descriptor
    /// Image manifests copied (1 for an image, one per platform of an index).
    public let manifests: Int
    /// Sum of the sizes of the blobs and manifests that make up the image.
    public let totalSize: Int64
    /// Bytes of blobs actually sent.
    public let transferredBytes: Int64
    public let uploadedBlobs: Int
    public let mountedBlobs: Int
    public let presentBlobs: Int
    /// Referrers (signatures, SBOMs) copied along.
    public let referrers: Int

    public init(manifest: Descriptor, manifests: Int, totalSize: Int64, transferredBytes: Int64, uploadedBlobs: Int,
                mountedBlobs: Int, presentBlobs: Int, referrers: Int) {
        self.manifest = manifest
        self.manifests = manifests
        self.totalSize = totalSize
        self.transferredBytes = transferredBytes
        self.uploadedBlobs = uploadedBlobs
        self.mountedBlobs = mountedBlobs
        self.presentBlobs = presentBlobs
        self.referrers = referrers
    }
}
