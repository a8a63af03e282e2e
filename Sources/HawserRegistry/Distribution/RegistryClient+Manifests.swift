import HawserCore
import NIOCore
import NIOHTTP1

extension RegistryClient {
    /// What a HEAD on a manifest told: enough to fetch it by digest.
    public struct ResolvedManifest: Sendable, Hashable {
        public let digest: Digest?
        public let mediaType: String?
        public let size: Int64?
    }

    /// Largest manifest accepted (containerd's limit is 4 MiB).
    static let maximumManifestSize = 4 << 20

    static var acceptHeader: String { MediaType.manifestAccept.joined(separator: ", ") }

    /// `HEAD /v2/<repo>/manifests/<reference>`, as containerd resolves. Returns
    /// nil when the host does not allow HEAD (405): the caller then GETs.
    public func resolveManifest(_ reference: String) async throws -> ResolvedManifest? {
        var request = RegistryRequest(method: .HEAD, url: attempt.url("manifests", reference))
        request.headers.add(name: "Accept", value: Self.acceptHeader)
        let response = try await send(request)
        if response.status == 405 {
            _ = try? await response.collect(limit: 64 << 10)
            return nil
        }
        guard response.status == 200 else { throw await response.failure(method: "HEAD") }
        _ = try? await response.collect(limit: 64 << 10)
        let digest = response.headers.first(name: "Docker-Content-Digest").flatMap { try? Digest(parsing: $0) }
        let size = response.headers.first(name: "Content-Length").flatMap { Int64($0) }
        return ResolvedManifest(digest: digest, mediaType: Self.mediaType(response.headers), size: size)
    }

    /// `GET /v2/<repo>/manifests/<reference>`. The bytes are checked against
    /// `expected` (a digest reference, or the digest the HEAD returned).
    public func fetchManifest(_ reference: String, expected: Digest?) async throws -> ManifestContent {
        let url = attempt.url("manifests", reference)
        var request = RegistryRequest(method: .GET, url: url)
        request.headers.add(name: "Accept", value: Self.acceptHeader)
        let response = try await send(request, expecting: [200])
        let bytes = try await response.collect(limit: Self.maximumManifestSize)
        let algorithm = expected?.algorithm ?? .sha256
        guard let actual = StreamingDigester.digest(of: bytes, algorithm: algorithm) else {
            throw RegistryError(.content, method: "GET", url: url, status: 200, reason: "cannot hash the manifest")
        }
        if let expected, expected != actual {
            throw RegistryError(.content, method: "GET", url: url, status: 200,
                                reason: "the manifest's bytes hash to \(actual), not to the requested \(expected)")
        }
        let mediaType = Self.mediaType(response.headers) ?? ""
        let descriptor = Descriptor(mediaType: mediaType, digest: actual, size: Int64(bytes.count))
        do {
            return try ManifestContent(bytes: bytes, descriptor: descriptor)
        } catch {
            throw RegistryError(.content, method: "GET", url: url, status: 200, reason: error.description)
        }
    }

    /// `PUT /v2/<repo>/manifests/<reference>`; returns the digest the registry computed.
    @discardableResult
    public func putManifest(_ bytes: [UInt8], mediaType: String, reference: String) async throws -> Digest? {
        var request = RegistryRequest(method: .PUT, url: attempt.url("manifests", reference), body: .bytes(ByteBuffer(bytes: bytes)))
        request.headers.add(name: "Content-Type", value: mediaType)
        let response = try await send(request, expecting: [200, 201, 202])
        _ = try? await response.collect(limit: 64 << 10)
        return response.headers.first(name: "Docker-Content-Digest").flatMap { try? Digest(parsing: $0) }
    }

    /// The media type from Content-Type, without parameters.
    static func mediaType(_ headers: HTTPHeaders) -> String? {
        guard let value = headers.first(name: "Content-Type") else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? value
        return type.isEmpty ? nil : type
    }
}
