import AsyncHTTPClient
import HawserCore
import HawserRegistry
import Logging
import NIOCore

/// The mirror's upstreams, reached the way containerd on the mirror's own machine
/// would reach them: the mirror's registries.yaml (or certs.d) gives each registry
/// a plan, with its own mirrors, TLS and credentials, and a request walks the
/// plan's hosts in order, moving on after a transport error, a 404 or any status
/// above 399 (as `ImagePuller` does). The client's own `Authorization` is never
/// part of these requests: they are built here from the plan alone.
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

    /// One client per attempt of the image's plan, in containerd's order.
    func clients(for image: ImageReference) throws -> [RegistryClient] {
        let plan = try hosts.plan(for: image, containerd: containerd)
        if plan.tlsFileFailsPull, let unreadable = plan.unreadableTLSFile {
            throw MirrorError(status: 502, .unknown, "the mirror cannot read \(unreadable.path) for \(image.registry): \(unreadable.message)")
        }
        let configuration = hosts
        return plan.attempts.map { attempt in
            RegistryClient(attempt: attempt, credentials: attempt.credentialsKey.flatMap(configuration.credentials(forKey:)), access: .pull,
                           pool: pool, tokenCache: tokenCache, logger: logger)
        }
    }

    /// The manifest `image` names (by tag or digest), from the first host of its plan
    /// that serves it; checked against the digest when the reference has one, and
    /// refused above `maximumManifestSize`.
    public func manifest(_ image: ImageReference) async throws -> ManifestContent {
        var reports: [AttemptReport] = []
        for client in try clients(for: image) {
            let url = client.attempt.manifestURL(for: image)
            do {
                let content = try await client.fetchManifest(image.manifestReference, expected: image.digest)
                guard content.bytes.count <= maximumManifestSize else {
                    throw RegistryError(.content, method: "GET", url: url, status: 200,
                                        reason: "the manifest is \(content.bytes.count) bytes, more than this mirror's limit of \(maximumManifestSize)")
                }
                return content
            } catch let error as RegistryError {
                logger.debug("upstream attempt failed", metadata: ["url": "\(url)", "error": "\(error.reason)"])
                reports.append(AttemptReport(attempt: client.attempt, url: url, outcome: .failed(error)))
            }
        }
        throw AttemptsFailedError(operation: "pull", image: image, attempts: reports)
    }

    /// A blob's response from the first host that answers 200, its body not yet read.
    public func openBlob(_ repository: MirrorRepository, _ digest: Digest) async throws -> UpstreamBlob {
        let image = repository.reference(digest)
        var reports: [AttemptReport] = []
        for client in try clients(for: image) {
            let url = client.attempt.url("blobs", digest.description)
            do {
                let response = try await client.send(RegistryRequest(method: .GET, url: url))
                guard response.status == 200 else {
                    let failure = await UpstreamBlob.failure(response)
                    reports.append(AttemptReport(attempt: client.attempt, url: url, outcome: .failed(failure)))
                    continue
                }
                guard let length = response.headers.first(name: "Content-Length").flatMap({ Int64($0) }), length >= 0 else {
                    _ = try? await response.collect(limit: 0)
                    let failure = RegistryError(.invalidResponse, method: "GET", url: response.url, status: 200,
                                                reason: "the blob came without a Content-Length, so it cannot be streamed while it is verified")
                    reports.append(AttemptReport(attempt: client.attempt, url: url, outcome: .failed(failure)))
                    continue
                }
                return UpstreamBlob(size: length, response: response)
            } catch let error as RegistryError {
                reports.append(AttemptReport(attempt: client.attempt, url: url, outcome: .failed(error)))
            }
        }
        throw AttemptsFailedError(operation: "pull", image: image, attempts: reports)
    }

    /// The size of a blob upstream (`HEAD`), from the first host that has it.
    public func blobSize(_ repository: MirrorRepository, _ digest: Digest) async throws -> Int64 {
        let image = repository.reference(digest)
        var reports: [AttemptReport] = []
        for client in try clients(for: image) {
            let url = client.attempt.url("blobs", digest.description)
            do {
                let response = try await client.send(RegistryRequest(method: .HEAD, url: url))
                _ = try? await response.collect(limit: 64 << 10)
                if response.status == 200, let length = response.headers.first(name: "Content-Length").flatMap({ Int64($0) }) {
                    return length
                }
                let failure = RegistryError(response.status == 404 ? .notFound : .httpStatus, method: "HEAD", url: response.url,
                                            status: response.status, reason: "the blob is not there")
                reports.append(AttemptReport(attempt: client.attempt, url: url, outcome: .failed(failure)))
            } catch let error as RegistryError {
                reports.append(AttemptReport(attempt: client.attempt, url: url, outcome: .failed(error)))
            }
        }
        throw AttemptsFailedError(operation: "pull", image: image, attempts: reports)
    }
}

/// A blob upstream has started to send: its length, and the response whose body
/// is still to be read.
public struct UpstreamBlob: Sendable {
    public let size: Int64
    let response: RegistryResponse

    static func failure(_ response: RegistryResponse) async -> RegistryError {
        let bytes = (try? await response.collect(limit: 64 << 10)) ?? []
        let entries = DistributionErrorBody.decode(bytes)?.errors ?? []
        let code: RegistryError.Code = switch response.status {
        case 401: .unauthorized
        case 403: .forbidden
        case 404: .notFound
        default: .httpStatus
        }
        return RegistryError(code, method: "GET", url: response.url, status: response.status, registryErrors: entries,
                             reason: "HTTP \(response.status)")
    }
}

extension AttemptsFailedError {
    /// Every host answered 404 (or said the name is unknown): the image is not there.
    var isNotFound: Bool {
        !attempts.isEmpty && attempts.contains { $0.error?.status == 404 }
            && attempts.allSatisfy { $0.error?.status == 404 || $0.error?.status == nil }
    }

    /// No host gave an answer about the content (refused, timed out, 5xx): what a
    /// cached tag may be served stale for.
    var isUnreachable: Bool {
        attempts.allSatisfy { report in
            guard let error = report.error else { return false }
            guard let status = error.status else { return true }
            return status >= 500 || status == 429 || status == 408
        }
    }
}
