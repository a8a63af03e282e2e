import HawserCore
import HawserRegistry

/// An OCI image layout, read: images by their index.json name (or digest),
/// blobs as ranges of their files (read again for each attempt).
public struct LayoutSource: ImageSource {
    public let layout: OCILayout
    public let place: TransferPlace

    public init(layout: OCILayout, side: TransferPlace.Side = .source) {
        self.layout = layout
        self.place = TransferPlace(side: side, kind: .layout, location: layout.root)
    }

    public var mountOrigin: MountOrigin? { nil }

    /// A digest names a stored manifest; anything else an index.json name
    /// (`org.opencontainers.image.ref.name`, or containerd's image name).
    public func resolve(_ reference: String) async throws -> Descriptor {
        if let digest = try? Digest(parsing: reference) {
            if let listed = try await layout.references().first(where: { $0.digest == digest }) { return listed }
            let bytes = try layout.readBlob(digest)
            let probe = Descriptor(mediaType: "", digest: digest, size: Int64(bytes.count))
            return try ManifestContent(bytes: bytes, descriptor: probe).descriptor
        }
        // Empty: the layout's only image.
        return try await layout.descriptor(named: reference.isEmpty ? nil : reference)
    }

    public func manifest(_ descriptor: Descriptor) async throws -> ManifestContent {
        let bytes = try layout.readBlob(descriptor.digest)
        return try ManifestContent(bytes: bytes, descriptor: Descriptor(mediaType: descriptor.mediaType, digest: descriptor.digest,
                                                                         size: Int64(bytes.count)))
    }

    public func blob(_ descriptor: Descriptor, from offset: Int64) async throws -> BlobBody {
        guard layout.contains(descriptor) else {
            throw StoreError(.blobMissing, path: layout.blobPath(descriptor.digest),
                             reason: "the image lists \(descriptor.digest) but the layout does not hold it")
        }
        return .file(path: layout.blobPath(descriptor.digest), offset: offset, length: descriptor.size - offset)
    }

    /// The tag schema: an index named `<alg>-<hex>` in index.json.
    public func referrers(of descriptor: Descriptor) async throws -> [Descriptor] {
        let tag = ReferrersTag.name(for: descriptor.digest)
        guard let entry = try await layout.references().last(where: { $0.refName == tag }) else { return [] }
        guard case .index(let index) = try await manifest(entry).kind else { return [] }
        return index.manifests
    }
}
