import HawserCore
import HawserRegistry

/// A repository on one registry host, read through the distribution API with
/// that host's TLS settings and credentials (those of the attempt's client).
public struct RegistrySource: ImageSource {
    public let client: RegistryClient
    public let place: TransferPlace
    /// Whether `blob(_:from:)` streams are hashed on the way. A registry
    /// destination checks the digest itself on the closing PUT (the distribution
    /// spec requires it), so a copy between registries skips this second hash:
    /// a quarter of the CPU of a big copy.
    public let verifiesStreams: Bool

    public init(client: RegistryClient, side: TransferPlace.Side = .source, verifiesStreams: Bool = true) {
        self.client = client
        self.verifiesStreams = verifiesStreams
        self.place = TransferPlace(side: side, kind: .registry, location: client.attempt.endpoint.host, repository: client.attempt.repository)
    }

    public var mountOrigin: MountOrigin? {
        MountOrigin(endpoint: client.attempt.endpoint, repository: client.attempt.repository)
    }

    /// HEAD first (as containerd resolves); a registry refusing HEAD, or
    /// answering without a digest, is asked with GET.
    public func resolve(_ reference: String) async throws -> Descriptor {
        let expected = try? Digest(parsing: reference)
        if let head = try await client.resolveManifest(reference), let digest = head.digest, let type = head.mediaType, let size = head.size {
            if let expected, expected != digest {
                throw RegistryError(.content, method: "HEAD", url: client.attempt.url("manifests", reference),
                                    reason: "the registry names \(digest) for the digest \(expected)")
            }
            return Descriptor(mediaType: type, digest: digest, size: size)
        }
        return try await client.fetchManifest(reference, expected: expected).descriptor
    }

    public func manifest(_ descriptor: Descriptor) async throws -> ManifestContent {
        let content = try await client.fetchManifest(descriptor.digest.description, expected: descriptor.digest)
        // The media type of the descriptor that listed it wins over a registry's Content-Type.
        guard content.descriptor.mediaType != descriptor.mediaType, !descriptor.mediaType.isEmpty else { return content }
        return try ManifestContent(bytes: content.bytes, descriptor: Descriptor(mediaType: descriptor.mediaType, digest: descriptor.digest,
                                                                                 size: Int64(content.bytes.count)))
    }

    public func blob(_ descriptor: Descriptor, from offset: Int64) async throws -> BlobBody {
        .stream(try await client.openBlob(descriptor, offset: offset, verify: verifiesStreams))
    }

    /// The pull path: chunks hashed and written on the connection's event loop, resumed with Range.
    public func fetchBlob(_ descriptor: Descriptor, into layout: OCILayout, progress: (@Sendable (Int) -> Void)?) async throws {
        try await client.fetchBlob(descriptor, into: layout, progress: progress)
    }

    public func referrers(of descriptor: Descriptor) async throws -> [Descriptor] {
        if let bytes = try await client.referrersIndex(of: descriptor.digest) {
            return try Self.entries(of: bytes, url: client.attempt.url("referrers", descriptor.digest.description))
        }
        // No referrers API: the tag schema, an index tagged `<alg>-<hex>`.
        let tag = ReferrersTag.name(for: descriptor.digest)
        guard let found = try await client.existingManifest(tag), let digest = found.digest else { return [] }
        let index = try await client.fetchManifest(digest.description, expected: digest)
        guard case .index(let entries) = index.kind else { return [] }
        return entries.manifests
    }

    static func entries(of bytes: [UInt8], url: String) throws -> [Descriptor] {
        guard let digest = Digest.of(bytes) else { return [] }
        do {
            let content = try ManifestContent(bytes: bytes, descriptor: Descriptor(mediaType: MediaType.ociIndex, digest: digest, size: Int64(bytes.count)))
            guard case .index(let index) = content.kind else { return [] }
            return index.manifests
        } catch {
            throw RegistryError(.invalidResponse, method: "GET", url: url, status: 200, reason: "the referrers answer is not an OCI index: \(error)")
        }
    }
}
