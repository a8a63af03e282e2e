import HawserCore

extension RegistryClient {
    /// The image manifest a pull would download blobs for, and the index it came from.
    public struct SelectedManifest: Sendable {
        public let manifest: ManifestContent
        public let image: ImageManifest
        public let index: Descriptor?
        public let platform: Platform?

        /// The digest the reference resolved to (the index, or the manifest).
        public var resolvedDigest: Digest { index?.digest ?? manifest.descriptor.digest }
    }

    /// A manifest already held locally, by digest, size and media type (nil: fetch it).
    public typealias StoredManifest = @Sendable (Digest, Int64?, String?) -> ManifestContent?

    /// Everything a pull asks of a host before the first blob, with every check
    /// a pull applies: resolve the tag with HEAD (as containerd), fetch by digest
    /// and verify it, refuse a manifest over `maximumManifestSize`, invalid JSON,
    /// an unknown media type, nesting JSON cannot decode, sizes that cannot add
    /// up; then the platform's entry of an index, which must be an image
    /// manifest. `pull` and `doctor` both call this, so "can be pulled" and a
    /// pull never disagree.
    public func selectManifest(for image: ImageReference, platform: Platform,
                               stored: StoredManifest = { _, _, _ in nil }) async throws -> SelectedManifest {
        var reference = image.manifestReference
        var expected = image.digest
        var local: ManifestContent?
        if image.digest == nil, let resolved = try await resolveManifest(reference), let digest = resolved.digest {
            // As containerd: resolve the tag with HEAD, then fetch by digest and check it;
            // a manifest held locally (a re-pull) is read from disk instead.
            reference = digest.description
            expected = digest
            local = stored(digest, resolved.size, resolved.mediaType)
        }
        let top: ManifestContent
        if let local { top = local } else { top = try await fetchManifest(reference, expected: expected) }
        switch top.kind {
        case .manifest(let manifest):
            return SelectedManifest(manifest: top, image: manifest, index: nil, platform: nil)
        case .index(let index):
            let entry = try PlatformSelector.select(from: index, platform: platform, indexDigest: top.descriptor.digest)
            let child: ManifestContent
            if let held = stored(entry.digest, entry.size, entry.mediaType) {
                child = held
            } else {
                child = try await fetchManifest(entry.digest.description, expected: entry.digest)
            }
            guard case .manifest(let manifest) = child.kind else {
                throw RegistryError(.content, url: attempt.url("manifests", entry.digest.description),
                                    reason: "the index's entry for \(platform) (\(entry.digest)) is itself an index, not an image manifest; nested indexes are not supported [\(ContentError.Code.nestedIndex.rawValue)]")
            }
            return SelectedManifest(manifest: child, image: manifest, index: top.descriptor, platform: entry.platform)
        }
    }
}
