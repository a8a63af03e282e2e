import HawserCore
import NIOCore
import NIOHTTP1

extension RegistryClient {
    /// `GET /v2/<repo>/blobs/<digest>` as a stream, from `offset` on (Range):
    /// the body is read as the consumer asks, never held. With `verify`, from
    /// byte zero, the stream is hashed as it passes and fails at its end, before
    /// the last byte is handed on, when size or digest do not match.
    public func openBlob(_ descriptor: Descriptor, offset: Int64 = 0, verify: Bool = true) async throws -> ByteStream {
        let url = attempt.url("blobs", descriptor.digest.description)
        var request = RegistryRequest(method: .GET, url: url)
        if offset > 0 { request.headers.add(name: "Range", value: "bytes=\(offset)-") }
        let response = try await send(request)
        switch response.status {
        case 200 where offset == 0, 206 where Self.contentRangeStart(response.headers) == offset:
            break
        case 200, 206:
            _ = try? await response.collect(limit: 64 << 10)
            throw RegistryError(.invalidResponse, method: "GET", url: response.url, status: response.status,
                                reason: "the registry did not answer the request for the blob from byte \(offset)")
        default:
            throw await response.failure(method: "GET")
        }
        guard let body = response.takeBody() else {
            throw RegistryError(.invalidResponse, method: "GET", url: response.url, reason: "the response body was already read")
        }
        let length = descriptor.size - offset
        let check = offset == 0 && verify ? StreamCheck(descriptor, url: response.url) : nil
        let box = ByteStream.IteratorBox(body.makeAsyncIterator())
        let answered = response.url
        return ByteStream(length: length) {
            do {
                let chunk = try await box.next()
                try check?.pass(chunk)
                return chunk
            } catch let error as RegistryError {
                throw SourceStreamError(error)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw SourceStreamError(TransportErrorMapper.map(error, method: "GET", url: answered))
            }
        }
    }

    /// `HEAD` on a manifest reference: what the registry holds under it, nil when nothing (404).
    public func existingManifest(_ reference: String) async throws -> ResolvedManifest? {
        var request = RegistryRequest(method: .HEAD, url: attempt.url("manifests", reference))
        request.headers.add(name: "Accept", value: Self.acceptHeader)
        let response = try await send(request)
        _ = try? await response.collect(limit: 64 << 10)
        switch response.status {
        case 200:
            let digest = response.headers.first(name: "Docker-Content-Digest").flatMap { try? Digest(parsing: $0) }
            let size = response.headers.first(name: "Content-Length").flatMap { Int64($0) }
            return ResolvedManifest(digest: digest, mediaType: Self.mediaType(response.headers), size: size)
        case 404:
            return nil
        default:
            throw await response.failure(method: "HEAD")
        }
    }

    /// `GET /v2/<repo>/referrers/<digest>` (OCI 1.1): the index of manifests whose
    /// `subject` is `digest`, or nil when the registry has no referrers API (404).
    public func referrersIndex(of digest: Digest) async throws -> [UInt8]? {
        var request = RegistryRequest(method: .GET, url: attempt.url("referrers", digest.description))
        request.headers.add(name: "Accept", value: MediaType.ociIndex)
        let response = try await send(request)
        switch response.status {
        case 200:
            return try await response.collect(limit: Self.maximumManifestSize)
        case 404, 405:
            _ = try? await response.collect(limit: 64 << 10)
            return nil
        default:
            throw await response.failure(method: "GET")
        }
    }
}

/// Hashes a blob's chunks as they pass; at the end checks size and digest.
/// Called by the one task consuming the stream.
final class StreamCheck: @unchecked Sendable {
    private let descriptor: Descriptor
    private let url: String
    private var digester: StreamingDigester
    private var received: Int64 = 0

    init(_ descriptor: Descriptor, url: String) {
        self.descriptor = descriptor
        self.url = url
        digester = StreamingDigester(descriptor.digest.algorithm)
    }

    func pass(_ chunk: ByteBuffer?) throws {
        guard let chunk else {
            guard received == descriptor.size else {
                throw RegistryError(.content, method: "GET", url: url, status: 200,
                                    reason: "the blob ended after \(received) bytes; its descriptor states \(descriptor.size)")
            }
            let actual = digester.finalize()
            guard actual == descriptor.digest else {
                throw RegistryError(.content, method: "GET", url: url, status: 200,
                                    reason: "the blob's bytes hash to \(actual?.description ?? "?"), not to \(descriptor.digest)")
            }
            return
        }
        guard Int64(chunk.readableBytes) <= descriptor.size - received else {
            throw RegistryError(.content, method: "GET", url: url, status: 200,
                                reason: "the blob is longer than the \(descriptor.size) bytes its descriptor states")
        }
        received += Int64(chunk.readableBytes)
        chunk.withUnsafeReadableBytes { digester.update($0) }
    }
}
