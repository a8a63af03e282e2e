/// A container image reference, normalised the way docker and containerd do.
///
/// `nginx` becomes `docker.io/library/nginx:latest`; `host:5000/ns/app@sha256:…`
/// keeps its registry, repository and digest. The registry is kept exactly as
/// written (`r:443` and `r` are different registries to K3s and containerd).
public struct ImageReference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Registry host as written in the reference, with its port if one was given
    /// (`docker.io`, `harbor.example.com:80`, `[::1]:5000`).
    public let registry: String
    /// Repository path inside the registry (`library/nginx`).
    public let repository: String
    /// Tag, if any. A reference with neither tag nor digest gets `latest`.
    public let tag: String?
    /// Digest, if any. When both tag and digest are given, the digest decides.
    public let digest: Digest?

    public static let dockerHub = "docker.io"
    public static let defaultTag = "latest"
    static let maximumNameLength = 255
    static let maximumTagLength = 128

    public init(registry: String, repository: String, tag: String?, digest: Digest?) {
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// The repository as `registry/repository`.
    public var name: String { "\(registry)/\(repository)" }

    /// What a registry is asked for in `/manifests/<reference>`: the digest when
    /// there is one, else the tag.
    public var manifestReference: String { digest?.description ?? tag ?? Self.defaultTag }

    /// The fully normalised form, e.g. `docker.io/library/nginx:latest`.
    public var description: String {
        var text = name
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    /// Host part of the registry without the port (`[::1]:5000` -> `::1`).
    public var registryHost: String { HostPort(registry).host }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            self = try ImageReference(parsing: string)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
