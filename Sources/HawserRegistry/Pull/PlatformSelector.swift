import HawserCore

/// Chooses the manifest for a platform from an index, as containerd's matcher:
/// os and architecture must match; an exact variant beats a compatible one.
public enum PlatformSelector {
    public static func select(from index: ImageIndex, platform: Platform, indexDigest: Digest) throws(ContentError) -> Descriptor {
        let matching = index.manifests.filter { entry in
            guard let candidate = entry.platform else { return false }
            return platform.matches(candidate)
        }
        let candidates = matching.filter { MediaType.isManifest($0.mediaType) || $0.mediaType.isEmpty }
        if let exact = candidates.first(where: { $0.platform?.variant == platform.variant }) { return exact }
        if let first = candidates.first { return first }
        if let nested = matching.first(where: { MediaType.isIndex($0.mediaType) }) {
            throw ContentError(.nestedIndex, digest: indexDigest,
                               reason: "the index's entry for \(platform) (\(nested.digest)) is itself an index, not an image manifest; nested indexes are not supported (containerd does not pull them either): pull the image by a digest of an image manifest, or ask the publisher for a flat index")
        }
        let manifests = index.manifests.filter { MediaType.isManifest($0.mediaType) || $0.mediaType.isEmpty }
        let available = manifests.compactMap { $0.platform?.description }.filter { $0 != "unknown/unknown" }
        throw ContentError(.platformNotFound, digest: indexDigest,
                           reason: "the image has no manifest for \(platform) (available: \(available.isEmpty ? "none" : available.joined(separator: ", ")))")
    }
}
