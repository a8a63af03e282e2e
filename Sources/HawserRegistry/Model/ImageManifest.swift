/// An image manifest (OCI or Docker schema 2): a config blob and layers.
/// Decoded only to find the blobs; the registry's bytes are kept as they are.
public struct ImageManifest: Sendable, Hashable, Codable {
    public var schemaVersion: Int
    public var mediaType: String?
    public var config: Descriptor
    public var layers: [Descriptor]

    public init(schemaVersion: Int = 2, mediaType: String?, config: Descriptor, layers: [Descriptor]) {
        self.schemaVersion = schemaVersion
        self.mediaType = mediaType
        self.config = config
        self.layers = layers
    }

    /// Config first, then layers: the order blobs are fetched and pushed in.
    public var blobs: [Descriptor] { [config] + layers }
}
