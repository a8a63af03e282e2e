import HawserCore
import HawserRegistry

/// An OCI image layout, written: blobs through `BlobIngest` (verified, fsync,
/// rename), names in index.json under the layout's lock.
public struct LayoutDestination: ImageDestination {
    public let layout: OCILayout
    public let place: TransferPlace
    /// The full image name recorded for containerd (`io.containerd.image.name`), if any.
    public let imageName: String?

    public init(layout: OCILayout, imageName: String? = nil) {
        self.layout = layout
        self.imageName = imageName
        self.place = TransferPlace(side: .destination, kind: .layout, location: layout.root)
    }

    public func existingManifest(_ reference: String) async throws -> Descriptor? {
        if let digest = try? Digest(parsing: reference) {
            return try await layout.references().first { $0.digest == digest }
        }
        return try await layout.references().last { $0.refName == reference }
    }

    public func hasBlob(_ descriptor: Descriptor) async throws -> Bool {
        layout.contains(descriptor)
    }

    public func putBlob(_ descriptor: Descriptor, from source: any ImageSource, options: BlobCopyOptions,
                        progress: (@Sendable (Int) -> Void)?) async throws -> BlobOutcome {
        if layout.contains(descriptor) { return .present }
        try await source.fetchBlob(descriptor, into: layout, progress: progress)
        return .uploaded
    }

    /// The bytes as a blob; a tag also names them in index.json.
    public func putManifest(_ manifest: ManifestContent, tag: String?) async throws {
        try layout.writeBlob(manifest.bytes, as: manifest.descriptor)
        if let tag {
            try await layout.addReference(manifest.descriptor, name: tag, imageName: imageName)
        }
    }
}
