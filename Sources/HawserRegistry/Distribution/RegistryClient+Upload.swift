import Foundation
import HawserCore
import NIOCore
import NIOHTTP1

extension RegistryClient {
    /// Uploads a blob from a file: `POST …/blobs/uploads/`, then one `PUT`
    /// with the whole body (monolithic), or `PATCH` chunks and a final `PUT`
    /// when `chunkSize` is given.
    public func uploadBlob(_ descriptor: Descriptor, fromFile path: String, chunkSize: Int64? = nil,
                           progress: (@Sendable (Int) -> Void)? = nil) async throws {
        let start = attempt.url("blobs", "uploads/")
        let started = try await send(RegistryRequest(method: .POST, url: start), expecting: [202])
        _ = try? await started.collect(limit: 64 << 10)
        var location = try Self.location(of: started, method: "POST")
        let digestQuery = "digest=" + (descriptor.digest.description.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")

        if let chunkSize, chunkSize > 0, descriptor.size > chunkSize {
            var offset: Int64 = 0
            while offset < descriptor.size {
                let length = min(chunkSize, descriptor.size - offset)
                var patch = RegistryRequest(method: .PATCH, url: location, body: .file(path: path, offset: offset, length: length))
                patch.headers.add(name: "Content-Type", value: "application/octet-stream")
                patch.headers.add(name: "Content-Range", value: "\(offset)-\(offset + length - 1)")
                patch.onBodyChunkSent = progress
                let response = try await send(patch, expecting: [202])
                _ = try? await response.collect(limit: 64 << 10)
                location = try Self.location(of: response, method: "PATCH")
                offset += length
            }
            let finish = RegistryRequest(method: .PUT, url: Self.appendQuery(digestQuery, to: location))
            let response = try await send(finish, expecting: [201, 204])
            _ = try? await response.collect(limit: 64 << 10)
        } else {
            var put = RegistryRequest(method: .PUT, url: Self.appendQuery(digestQuery, to: location),
                                      body: .file(path: path, offset: 0, length: descriptor.size))
            put.headers.add(name: "Content-Type", value: "application/octet-stream")
            put.onBodyChunkSent = progress
            let response = try await send(put, expecting: [201, 204])
            _ = try? await response.collect(limit: 64 << 10)
        }
    }

    /// The upload URL from Location, resolved against the request's URL.
    static func location(of response: RegistryResponse, method: String) throws -> String {
        guard let value = response.headers.first(name: "Location"),
              let url = URL(string: value, relativeTo: URL(string: response.url))?.absoluteURL.absoluteString else {
            throw RegistryError(.invalidResponse, method: method, url: response.url, status: response.status,
                                reason: "the registry started an upload without a Location header")
        }
        return url
    }

    static func appendQuery(_ query: String, to url: String) -> String {
        url + (url.contains("?") ? "&" : "?") + query
    }
}
