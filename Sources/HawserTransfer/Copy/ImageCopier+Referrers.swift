import HawserCore
import HawserRegistry

extension ImageCopier {
    /// Copies the referrers of `subject` (signatures, SBOMs: manifests whose
    /// `subject` names it), each with its blobs, by digest; then the source's
    /// tag-schema index (`<alg>-<hex>`), when it has one, as its own bytes, so a
    /// destination without the referrers API lists them the same way.
    /// Returns how many referrers were copied.
    func copyReferrers(of subject: Descriptor) async throws -> Int {
        let found = try await TransferError.at(source.place, "listing the referrers of \(subject.digest)") {
            try await source.referrers(of: subject)
        }
        for referrer in found {
            let content = try await readManifest(referrer)
            var blobs: [Descriptor] = []
            switch content.kind {
            case .manifest(let manifest): blobs = manifest.blobs
            case .index(let index):
                // An index referrer (a multi-part attestation): its manifests, then itself.
                for entry in index.manifests {
                    let child = try await readManifest(entry)
                    if case .manifest(let manifest) = child.kind { _ = try await copyBlobs(manifest.blobs) }
                    try await TransferError.at(destination.place, "storing the referrer \(entry.digest)") {
                        try await destination.putManifest(child, tag: nil)
                    }
                }
            }
            _ = try await copyBlobs(blobs)
            try await TransferError.at(destination.place, "storing the referrer \(referrer.digest)") {
                try await destination.putManifest(content, tag: nil)
            }
        }
        let tag = ReferrersTag.name(for: subject.digest)
        if !found.isEmpty, let tagged = try? await source.resolve(tag) {
            let index = try await readManifest(tagged)
            try await TransferError.at(destination.place, "storing the referrers index \(tag)") {
                try await destination.putManifest(index, tag: tag)
            }
        }
        return found.count
    }
}
