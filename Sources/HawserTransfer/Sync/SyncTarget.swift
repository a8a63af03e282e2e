import HawserCore
import HawserRegistry

/// Where `hawser sync` puts each image.
public enum SyncTarget: Sendable {
    /// `--to REGISTRY[/PREFIX]`: the image's repository under the prefix, same tag.
    case prefix(registry: String, prefix: String)
    /// `--for registries.yaml`: where K3s looks first, the first attempt of the
    /// image's plan (a mirror, its rewrites and path applied).
    case firstMirror

    /// Parses `REGISTRY[/PREFIX]`.
    public static func parsing(_ text: String) throws(ReferenceError) -> SyncTarget {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        let parts = trimmed.split(separator: "/", maxSplits: 1).map(String.init)
        guard let registry = parts.first, !registry.isEmpty else {
            throw ReferenceError(.empty, input: text, reason: "--to needs a registry, as REGISTRY or REGISTRY/PREFIX")
        }
        let prefix = parts.count > 1 ? parts[1] : ""
        // Checked as a name it will form: any repository under it must parse.
        _ = try ImageReference(parsing: "\(registry)/\(prefix.isEmpty ? "" : prefix + "/")x")
        return .prefix(registry: registry, prefix: prefix)
    }
}
