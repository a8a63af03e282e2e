import HawserCore
import HawserRegistry
import HawserTransfer
import Logging

/// One upstream repository as an `ImageSource` that follows a plan: every host
/// of the plan containerd would follow for `reference` (the mirror's own
/// registries.yaml: its mirrors in order, then the registry), each a
/// `RegistrySource`; an operation moves on to the next host after a transport
/// error, a 404 or any status above 399, as `ImagePuller` does. When every host
/// fails, the error lists them all.
public struct PlanSource: ImageSource {
    public let reference: ImageReference
    let sources: [RegistrySource]
    public let place: TransferPlace

    /// - Parameter reference: the tag or digest being asked for (a tag needs hosts
    ///   with the `resolve` capability, a digest only `pull`: the plans differ).
    public init(reference: ImageReference, hosts: HostsConfiguration, containerd: Containerd, pool: HTTPClientPool, tokenCache: TokenCache,
                logger: Logger) throws {
        let plan = try hosts.plan(for: reference, containerd: containerd)
        if plan.tlsFileFailsPull, let unreadable = plan.unreadableTLSFile {
            throw MirrorError(status: 502, .unknown, "the mirror cannot read \(unreadable.path) for \(reference.registry): \(unreadable.message)")
        }
        self.reference = reference
        self.sources = plan.attempts.map { attempt in
            // Streams are not hashed here: the mirror's BlobIngest hashes every byte it
            // stores, and its readers never get a blob's last byte before that verdict.
            RegistrySource(client: RegistryClient(attempt: attempt, credentials: attempt.credentialsKey.flatMap(hosts.credentials(forKey:)),
                                                  access: .pull, pool: pool, tokenCache: tokenCache, logger: logger),
                           verifiesStreams: false)
        }
        self.place = TransferPlace(side: .source, kind: .registry, location: reference.registry, repository: reference.repository)
    }

    /// Several hosts: no single registry to mount from.
    public var mountOrigin: MountOrigin? { nil }

    /// The first host whose `body` succeeds; a `RegistryError` moves on to the next.
    func firstServing<T: Sendable>(_ url: (RegistryClient) -> String, _ body: (RegistrySource) async throws -> T) async throws -> T {
        var reports: [AttemptReport] = []
        for source in sources {
            do {
                return try await body(source)
            } catch let error as RegistryError {
                reports.append(AttemptReport(attempt: source.client.attempt, url: url(source.client), outcome: .failed(error)))
            }
        }
        throw AttemptsFailedError(operation: "pull", image: reference, attempts: reports)
    }

    public func resolve(_ reference: String) async throws -> Descriptor {
        try await firstServing({ $0.attempt.url("manifests", reference) }) { try await $0.resolve(reference) }
    }

    public func manifest(_ descriptor: Descriptor) async throws -> ManifestContent {
        try await firstServing({ $0.attempt.url("manifests", descriptor.digest.description) }) { try await $0.manifest(descriptor) }
    }

    /// The blob's bytes as upstream sends them (not hashed here: see `init`).
    public func blob(_ descriptor: Descriptor, from offset: Int64) async throws -> BlobBody {
        try await firstServing({ $0.attempt.url("blobs", descriptor.digest.description) }) { try await $0.blob(descriptor, from: offset) }
    }

    public func referrers(of descriptor: Descriptor) async throws -> [Descriptor] {
        try await firstServing({ $0.attempt.url("referrers", descriptor.digest.description) }) { try await $0.referrers(of: descriptor) }
    }

    /// The size of a blob known by digest alone (what a client asks the mirror for):
    /// a `HEAD` on the first host that has it.
    public func blobSize(_ digest: Digest) async throws -> Int64 {
        try await firstServing({ $0.attempt.url("blobs", digest.description) }) { source in
            let url = source.client.attempt.url("blobs", digest.description)
            let response = try await source.client.send(RegistryRequest(method: .HEAD, url: url))
            _ = try? await response.collect(limit: 64 << 10)
            guard response.status == 200, let length = response.headers.first(name: "Content-Length").flatMap({ Int64($0) }), length >= 0 else {
                throw RegistryError(response.status == 404 ? .notFound : .httpStatus, method: "HEAD", url: response.url, status: response.status,
                                    reason: response.status == 200 ? "the answer has no Content-Length" : "HTTP \(response.status)")
            }
            return length
        }
    }
}
