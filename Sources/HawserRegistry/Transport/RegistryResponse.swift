import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// A response whose body has not been read yet: blobs are streamed from it.
public struct RegistryResponse: Sendable {
    public let status: Int
    public let headers: HTTPHeaders
    /// The URL that answered (after redirects).
    public let url: String
    /// The body went, as it arrived, to the request's `responseSink`.
    public let bodyDelivered: Bool
    private let storage: BodyOnce

    public init(status: Int, headers: HTTPHeaders, url: String, body: HTTPClientResponse.Body, bodyDelivered: Bool = false) {
        self.status = status
        self.headers = headers
        self.url = url
        self.bodyDelivered = bodyDelivered
        self.storage = BodyOnce(body)
    }

    /// The body, for streaming. A body can be iterated only once (NIO traps on a
    /// second iterator), so it is handed out once; later calls get nil.
    public func takeBody() -> HTTPClientResponse.Body? { storage.take() }

    /// Hands the body out at most once.
    final class BodyOnce: Sendable {
        private let body: Mutex<HTTPClientResponse.Body?>
        init(_ body: HTTPClientResponse.Body) { self.body = Mutex(body) }
        func take() -> HTTPClientResponse.Body? { body.withLock { value in defer { value = nil }; return value } }
    }

    /// Reads the whole body, refusing more than `limit` bytes (manifests, error bodies, tokens).
    public func collect(limit: Int) async throws -> [UInt8] {
        guard let body = takeBody() else { return [] }
        do {
            var buffer = try await body.collect(upTo: limit)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch is NIOTooManyBytesError {
            throw RegistryError(.invalidResponse, url: url, status: status, reason: "response body larger than \(limit) bytes")
        } catch {
            throw TransportErrorMapper.map(error, method: nil, url: url)
        }
    }

    /// Reads (a bounded amount of) an error response and turns it into a `RegistryError`.
    func failure(method: String) async -> RegistryError {
        let bytes = (try? await collect(limit: 64 << 10)) ?? []
        let entries = DistributionErrorBody.decode(bytes)?.errors ?? []
        let code = RegistryError.code(forStatus: status)
        var reason = HTTPResponseStatus(statusCode: status).reasonPhrase
        if entries.isEmpty, !bytes.isEmpty, let text = String(bytes: bytes.prefix(200), encoding: .utf8) {
            reason += ": " + text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return RegistryError(code, method: method, url: url, status: status, registryErrors: entries, reason: reason)
    }
}
