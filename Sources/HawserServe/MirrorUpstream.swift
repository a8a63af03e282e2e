import HawserCore
import HawserRegistry
import HawserTransfer
import Logging

/// The mirror's upstreams, reached the way containerd on the mirror's own machine
/// would reach them: the mirror's registries.yaml (or certs.d) gives each registry
/// a plan, with its own mirrors, TLS and credentials, and each request becomes a
/// `PlanSource` over that plan. The client's own `Authorization` is never part of
/// these requests: they are built from the plan alone.
public struct MirrorUpstream: Sendable {
    let hosts: HostsConfiguration
    let containerd: Containerd
    let pool: HTTPClientPool
    let tokenCache: TokenCache
    let logger: Logger
    let maximumManifestSize: Int

    public init(hosts: HostsConfiguration, containerd: Containerd = .default, pool: HTTPClientPool,
                tokenCache: TokenCache = TokenCache(), maximumManifestSize: Int, logger: Logger) {
        self.hosts = hosts
        self.containerd = containerd
        self.pool = pool
        self.tokenCache = tokenCache
        self.maximumManifestSize = maximumManifestSize
        self.logger = logger
    }

    /// The source for `reference` (a tag or a digest in one repository).
    public func source(_ reference: ImageReference) throws -> PlanSource {
        try PlanSource(reference: reference, hosts: hosts, containerd: containerd, pool: pool, tokenCache: tokenCache, logger: logger)
    }

    /// The manifest `image` names: a tag resolved first (HEAD, as containerd), then
    /// fetched by digest and checked; refused above `maximumManifestSize`.
    public func manifest(_ image: ImageReference) async throws -> ManifestContent {
        let source = try source(image)
        let descriptor: Descriptor
        if let digest = image.digest {
            descriptor = Descriptor(mediaType: "", digest: digest, size: 0)
        } else {
            descriptor = try await source.resolve(image.manifestReference)
        }
        guard descriptor.size <= Int64(maximumManifestSize) else {
            throw MirrorError(status: 502, .manifestInvalid,
                              "upstream's manifest is \(descriptor.size) bytes, more than this mirror's limit of \(maximumManifestSize)")
        }
        let content = try await source.manifest(descriptor)
        guard content.bytes.count <= maximumManifestSize else {
            throw MirrorError(status: 502, .manifestInvalid,
                              "upstream's manifest is \(content.bytes.count) bytes, more than this mirror's limit of \(maximumManifestSize)")
        }
        return content
    }

    /// The size of a blob upstream (`HEAD`), from the first host that has it.
    public func blobSize(_ repository: MirrorRepository, _ digest: Digest) async throws -> Int64 {
        try await source(repository.reference(digest)).blobSize(digest)
    }

    /// A blob's bytes, from the first host that serves them, as they arrive (the
    /// flight's BlobIngest hashes them, and holds the last byte back until they verify).
    public func openBlob(_ repository: MirrorRepository, _ digest: Digest) async throws -> (size: Int64, stream: ByteStream) {
        let source = try source(repository.reference(digest))
        let size = try await source.blobSize(digest)
        let body = try await source.blob(Descriptor(mediaType: "application/octet-stream", digest: digest, size: size), from: 0)
        guard case .stream(let stream) = body else {
            throw MirrorError(status: 502, .unknown, "upstream answered the blob with something other than a stream")
        }
        return (size, stream)
    }
}

extension AttemptsFailedError {
    /// Some host answered 404 and every other one failed to answer: the content is not there.
    var isNotFound: Bool {
        attempts.contains { $0.error?.status == 404 }
            && attempts.allSatisfy { $0.error?.status == 404 || $0.error?.status == nil }
    }

    /// No host gave an answer about the content (refused, timed out, 5xx): what a
    /// cached tag may be served stale for.
    var isUnreachable: Bool {
        attempts.allSatisfy { report in
            guard let error = report.error else { return false }
            guard let status = error.status else { return error.code == .transport || error.code == .tls || error.code == .httpResponseToHTTPS }
            return status >= 500 || status == 429 || status == 408
        }
    }
}
