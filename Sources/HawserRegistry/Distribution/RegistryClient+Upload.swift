import Foundation
import HawserCore
import NIOCore
import NIOHTTP1

extension RegistryClient {
    /// How an upload began: the registry mounted the blob from another
    /// repository (nothing to send), or opened an upload session at `location`.
    public enum UploadStart: Sendable, Hashable {
        case mounted
        case session(location: String)
    }

    /// `POST …/blobs/uploads/`, with `?mount=<digest>&from=<repository>` when
    /// `mountFrom` is given: a registry holding the blob in that repository (and
    /// letting these credentials read it) links it with 201; otherwise it answers
    /// 202 with an ordinary session, so a refused mount costs no extra request.
    public func startUpload(of descriptor: Descriptor, mountFrom: String? = nil) async throws -> UploadStart {
        var url = attempt.url("blobs", "uploads/")
        if let mountFrom {
            url = Self.appendQuery("mount=" + Self.queryValue(descriptor.digest.description) + "&from=" + Self.queryValue(mountFrom), to: url)
        }
        let started = try await send(RegistryRequest(method: .POST, url: url), expecting: mountFrom == nil ? [202] : [201, 202])
        _ = try? await started.collect(limit: 64 << 10)
        if started.status == 201 { return .mounted }
        return .session(location: try Self.location(of: started, method: "POST"))
    }

    /// Uploads a blob from a file: `POST …/blobs/uploads/`, then one `PUT`
    /// with the whole body (monolithic), or `PATCH` chunks and a final `PUT`
    /// when `chunkSize` is given.
    public func uploadBlob(_ descriptor: Descriptor, fromFile path: String, chunkSize: Int64? = nil,
                           progress: (@Sendable (Int) -> Void)? = nil) async throws {
        try await uploadBlob(descriptor, body: .file(path: path, offset: 0, length: descriptor.size), chunkSize: chunkSize, progress: progress)
    }

    /// Uploads a blob from a file or a stream, in a session already started
    /// (`location`) or a new one. Monolithic (`PUT` with the body) unless the blob
    /// is larger than `chunkSize`: then `PATCH` chunks of that size and a final `PUT`.
    /// A stream is read once, chunk by chunk, as the connection takes it.
    /// - Parameters:
    ///   - start: where `body` starts in the blob (a resumed chunked upload; the
    ///     session at `location` already holds the bytes before it).
    ///   - accepted: told the session's location and the bytes it holds after each PATCH.
    public func uploadBlob(_ descriptor: Descriptor, body: BlobBody, chunkSize: Int64? = nil, location: String? = nil,
                           from start: Int64 = 0, accepted: (@Sendable (String, Int64) -> Void)? = nil,
                           progress: (@Sendable (Int) -> Void)? = nil) async throws {
        var location = location ?? ""
        if location.isEmpty {
            guard case .session(let started) = try await startUpload(of: descriptor) else { return }
            location = started
        }
        let digestQuery = "digest=" + Self.queryValue(descriptor.digest.description)
        let size = start + body.length
        if let chunkSize, chunkSize > 0, size > chunkSize {
            let chunks = ChunkCursor(body)
            var offset = start
            while offset < size {
                let length = min(chunkSize, size - offset)
                var patch = RegistryRequest(method: .PATCH, url: location, body: chunks.next(length: length))
                patch.headers.add(name: "Content-Type", value: "application/octet-stream")
                patch.headers.add(name: "Content-Range", value: "\(offset)-\(offset + length - 1)")
                patch.onBodyChunkSent = progress
                let response = try await send(patch, expecting: [202])
                _ = try? await response.collect(limit: 64 << 10)
                location = try Self.location(of: response, method: "PATCH")
                offset += length
                accepted?(location, offset)
            }
            let finish = RegistryRequest(method: .PUT, url: Self.appendQuery(digestQuery, to: location))
            let response = try await send(finish, expecting: [201, 204])
            _ = try? await response.collect(limit: 64 << 10)
        } else {
            let requestBody: RegistryRequest.Body
            switch body {
            case .file(let path, let offset, let length): requestBody = .file(path: path, offset: offset, length: length)
            case .stream(let stream): requestBody = .stream(stream)
            }
            var put = RegistryRequest(method: .PUT, url: Self.appendQuery(digestQuery, to: location), body: requestBody)
            put.headers.add(name: "Content-Type", value: "application/octet-stream")
            put.onBodyChunkSent = progress
            let response = try await send(put, expecting: [201, 204])
            _ = try? await response.collect(limit: 64 << 10)
        }
    }

    /// `GET` on an upload session: the bytes the registry holds (its `Range:
    /// 0-<last>`), or nil when the session is gone. A resumed upload continues there.
    public func uploadedBytes(at location: String) async throws -> Int64? {
        let response = try await send(RegistryRequest(method: .GET, url: location))
        _ = try? await response.collect(limit: 64 << 10)
        guard response.status == 204 || response.status == 200 else { return nil }
        guard let range = response.headers.first(name: "Range") else { return 0 }
        let text = range.hasPrefix("bytes=") ? range.dropFirst(6) : Substring(range)
        // "0-0" is what distribution says for an empty session as well as for one byte.
        guard let last = text.split(separator: "-").last.flatMap({ Int64($0) }), last > 0 else { return 0 }
        return last + 1
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

    static func queryValue(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
