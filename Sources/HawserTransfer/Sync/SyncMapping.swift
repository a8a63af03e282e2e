import HawserCore
import HawserRegistry

/// One line of a sync, resolved: the source image and the exact place it goes.
public struct SyncMapping: Sendable {
    public let entry: SyncEntry
    public let source: ImageReference
    /// The destination's host, path and repository, as the client will address them.
    public let destination: Attempt
    /// The tag at the destination (nil: by digest only).
    public let tag: String?

    /// `host/repository:tag` (or the full URL prefix when the endpoint has a custom path).
    public var destinationName: String {
        let reference = tag.map { ":\($0)" } ?? (source.digest.map { "@\($0)" } ?? "")
        let path = destination.endpoint.path == "/v2" ? "" : destination.endpoint.path.replacingOccurrences(of: "/v2/", with: "/")
        return "\(destination.endpoint.host)\(path)/\(destination.repository)\(reference)"
    }

    /// What the destination should hold under: the tag, else the source's digest.
    public var destinationReference: String {
        tag ?? source.digest?.description ?? ImageReference.defaultTag
    }
}
