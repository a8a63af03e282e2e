import HawserCore

/// A registry repository blobs can be mounted from: the destination mounts
/// (`POST …/blobs/uploads/?mount=<digest>&from=<repository>`) only when it is
/// the same registry, reached at the same endpoint.
public struct MountOrigin: Sendable, Hashable {
    public let endpoint: Endpoint
    public let repository: String

    public init(endpoint: Endpoint, repository: String) {
        self.endpoint = endpoint
        self.repository = repository
    }
}
