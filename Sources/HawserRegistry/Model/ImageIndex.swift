/// An image index (OCI) or manifest list (Docker): one manifest per platform.
public struct ImageIndex: Sendable, Hashable, Codable {
    public var schemaVersion: Int
    public var mediaType: String?
    public var manifests: [Descriptor]
    public var annotations: [String: String]?

    public init(schemaVersion: Int = 2, mediaType: String? = MediaType.ociIndex, manifests: [Descriptor], annotations: [String: String]? = nil) {
        self.schemaVersion = schemaVersion
        self.mediaType = mediaType
        self.manifests = manifests
        self.annotations = annotations
    }
}
