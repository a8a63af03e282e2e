import HawserCore

/// Chooses the manifest for a platform from an index, as containerd's matcher:
/// os and architecture must match; an exact variant beats a compatible one.
enum PlatformSelector {
    static func select(from index: ImageIndex, platform: Platform, indexDigest: Digest) throws -> Descriptor {
        let candidates = index.manifests.filter { entry in
            guard let candidate = entry.platform, MediaType.isManifest(entry.mediaType) || entry.mediaType.isEmpty else { return false }
            return platform.matches(candidate)
        }
        if let exact = candidates.first(where: { $0.platform?.variant == platform.variant }) { return exact }
        if let first = candidates.first { return first }
        let available = index.manifests.compactMap { $0.platform?.description }.filter { $0 != "unknown/unknown" }
        throw ContentError(.platformNotFound, digest: indexDigest,
                           reason: "the image has no manifest for \(platform) (available: \(available.isEmpty ? "none" : available.joined(separator: ", ")))")
    }
}
