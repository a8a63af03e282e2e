import Foundation
import HawserCore
import HawserRegistry

/// Copies an image from any `ImageSource` to any `ImageDestination`: an index
/// whole (or the platforms asked for), blobs first (skipped when present,
/// mounted within one registry, else streamed, several at once), then each
/// manifest's own bytes, children before the index, the tag last.
public struct ImageCopier: Sendable {
    public let source: any ImageSource
    public let destination: any ImageDestination
    public let options: CopyOptions
    let observer: TransferObserver?

    public init(source: any ImageSource, destination: any ImageDestination, options: CopyOptions = CopyOptions(),
                observer: TransferObserver? = nil) {
        self.source = source
        self.destination = destination
        self.options = options
        self.observer = observer
    }

    /// Copies what `reference` names at the source to `tag` at the destination (nil: by digest only).
    public func copy(_ reference: String, to tag: String?) async throws -> CopyResult {
        let top = try await TransferError.at(source.place, "resolving \(reference.isEmpty ? "the layout's image" : reference)") {
            try await source.resolve(reference)
        }
        return try await copy(resolved: top, to: tag)
    }

    /// Copies what `top` (already resolved at the source) names.
    public func copy(resolved top: Descriptor, to tag: String?) async throws -> CopyResult {
        let content = try await readManifest(top)
        var plan = CopyPlan()
        let root = try await selectRoot(content, plan: &plan)
        let totals = try await copyBlobs(plan.blobs)
        for child in plan.children {
            try await TransferError.at(destination.place, "storing the manifest \(child.descriptor.digest)") {
                try await destination.putManifest(child, tag: nil)
            }
        }
        var referrers = 0
        if options.referrers {
            for subject in plan.subjects { referrers += try await copyReferrers(of: subject) }
        }
        try await TransferError.at(destination.place, "storing the manifest \(root.descriptor.digest)\(tag.map { " as \($0)" } ?? "")") {
            try await destination.putManifest(root, tag: tag)
        }
        return CopyResult(manifest: root.descriptor, manifests: plan.imageManifests, totalSize: plan.totalSize,
                          transferredBytes: totals.transferred, uploadedBlobs: totals.uploaded,
                          mountedBlobs: totals.mounted, presentBlobs: totals.present, referrers: referrers)
    }

    /// What a copy writes, in order: blobs, then manifests below the root.
    struct CopyPlan {
        var blobs: [Descriptor] = []
        var seen = Set<Digest>()
        var children: [ManifestContent] = []
        var subjects: [Descriptor] = []
        var imageManifests = 0
        var totalSize: Int64 = 0

        mutating func add(blobs list: [Descriptor]) {
            for blob in list where seen.insert(blob.digest).inserted {
                blobs.append(blob)
                totalSize = totalSize.saturatingAdding(blob.size)
            }
        }
    }

    struct BlobTotals {
        var transferred: Int64 = 0
        var uploaded = 0
        var mounted = 0
        var present = 0
    }

    func readManifest(_ descriptor: Descriptor) async throws -> ManifestContent {
        try await TransferError.at(source.place, "reading the manifest \(descriptor.digest)") { try await source.manifest(descriptor) }
    }

    /// The manifest that will stand under the tag, with everything below it in `plan`.
    private func selectRoot(_ top: ManifestContent, plan: inout CopyPlan) async throws -> ManifestContent {
        plan.totalSize = plan.totalSize.saturatingAdding(Int64(top.bytes.count))
        switch top.kind {
        case .manifest(let manifest):
            plan.add(blobs: manifest.blobs)
            plan.imageManifests = 1
            plan.subjects = [top.descriptor]
            return top
        case .index(let index):
            var entries = index.manifests
            if !options.platforms.isEmpty {
                entries = try options.platforms.map { platform in
                    try PlatformSelector.select(from: index, platform: platform, indexDigest: top.descriptor.digest)
                }
            }
            for entry in entries {
                let child = try await readManifest(entry)
                plan.totalSize = plan.totalSize.saturatingAdding(Int64(child.bytes.count))
                switch child.kind {
                case .manifest(let manifest):
                    plan.add(blobs: manifest.blobs)
                    plan.imageManifests += 1
                case .index:
                    throw TransferError(source.place, action: "reading the index \(top.descriptor.digest)",
                                        underlying: ContentError(.nestedIndex, digest: entry.digest,
                                                                 reason: "the index lists another index (\(entry.digest)); nested indexes are not supported"))
                }
                plan.children.append(child)
                plan.subjects.append(child.descriptor)
            }
            if options.platforms.count == 1, let only = plan.children.first {
                plan.children = []
                return only
            }
            if options.platforms.count > 1 {
                plan.subjects.insert(top.descriptor, at: 0)
                return try Self.narrowedIndex(index, entries: entries, mediaType: top.descriptor.mediaType)
            }
            plan.subjects.insert(top.descriptor, at: 0)
            return top
        }
    }

    /// A new index listing only the chosen platforms (its digest is new: the source has no such index).
    static func narrowedIndex(_ index: ImageIndex, entries: [Descriptor], mediaType: String) throws -> ManifestContent {
        var narrowed = index
        narrowed.manifests = entries
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = [UInt8](try encoder.encode(narrowed))
        guard let digest = Digest.of(bytes) else {
            throw ContentError(.invalidManifest, digest: nil, reason: "cannot hash the narrowed index")
        }
        return try ManifestContent(bytes: bytes, descriptor: Descriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count)))
    }
}
