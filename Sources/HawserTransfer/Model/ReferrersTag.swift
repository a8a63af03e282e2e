import HawserCore

/// The OCI 1.1 referrers tag schema, for registries without the referrers API:
/// the referrers of `<alg>:<hex>` are listed by an index tagged `<alg>-<hex>`.
public enum ReferrersTag {
    public static func name(for digest: Digest) -> String {
        "\(digest.algorithm.rawValue)-\(digest.encoded)"
    }
}
