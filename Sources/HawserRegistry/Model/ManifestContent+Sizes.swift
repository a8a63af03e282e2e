import HawserCore

extension ManifestContent {
    /// Sizes come from the registry: each must be at least zero, and an image's
    /// blobs and manifest must add up within Int64, so that every total computed
    /// later (progress, summaries) is exact and cannot trap.
    static func checkSizes(_ kind: Kind, manifestSize: Int64, digest: Digest) throws(ContentError) {
        switch kind {
        case .manifest(let manifest):
            var total = manifestSize
            for blob in manifest.blobs {
                guard blob.size >= 0 else {
                    throw ContentError(.invalidSize, digest: digest, reason: "the manifest states a negative size (\(blob.size)) for \(blob.digest)")
                }
                let (sum, overflow) = total.addingReportingOverflow(blob.size)
                guard !overflow else {
                    throw ContentError(.invalidSize, digest: digest,
                                       reason: "the manifest's blob sizes add up to more than \(Int64.max) bytes (8 EiB): no registry serves that; the manifest is corrupt or hostile")
                }
                total = sum
            }
        case .index(let index):
            for entry in index.manifests where entry.size < 0 {
                throw ContentError(.invalidSize, digest: digest, reason: "the index states a negative size (\(entry.size)) for \(entry.digest)")
            }
        }
    }
}
