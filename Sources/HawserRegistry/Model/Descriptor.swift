import HawserCore

/// An OCI content descriptor: what a blob or manifest is, by type, digest and size.
public struct Descriptor: Sendable, Hashable, Codable {
    public var mediaType: String
    public var digest: Digest
    public var size: Int64
    public var platform: Platform?
    public var annotations: [String: String]?
    public var urls: [String]?
    public var artifactType: String?

    public init(
        mediaType: String, digest: Digest, size: Int64, platform: Platform? = nil,
        annotations: [String: String]? = nil, urls: [String]? = nil, artifactType: String? = nil
    ) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.platform = platform
        self.annotations = annotations
        self.urls = urls
        self.artifactType = artifactType
    }

    /// The annotation OCI layouts use to name an image (`oci:DIR:NAME`).
    public static let refNameAnnotation = "org.opencontainers.image.ref.name"
    /// The annotation containerd uses for the full image name in an exported layout.
    public static let containerdNameAnnotation = "io.containerd.image.name"

    public var refName: String? { annotations?[Self.refNameAnnotation] }
}
