import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// A response whose body has not been read yet: blobs are streamed from it.
public struct RegistryResponse: Sendable {
    public let status: Int
    public let headers: HTTPHeaders
    /// The URL that answered (after redirects).
    public let url: String
    public let body: HTTPClientResponse.Body

    public init(status: Int, headers: HTTPHeaders, url: String, body: HTTPClientResponse.Body) {
        self.status = status
        self.headers = headers
        self.url = url
        self.body = body
    }

    /// Reads the whole body, refusing more than `limit` bytes (manifests, error bodies, tokens).
    public func collect(limit: Int) async throws -> [UInt8] {
        do {
            var buffer = try await body.collect(upTo: limit)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch let error as NIOTooManyBytesError {
            throw RegistryError(.invalidResponse, url: url, status: status, reason: "response body larger than \(limit) bytes (\(error))")
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
