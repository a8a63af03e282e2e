import AsyncHTTPClient
import Crypto
import Foundation
import HawserCore
import HawserRegistry
import HawserTestSupport
import NIOCore
import NIOHTTP1

/// Images made on disk and pushed to a real registry, and plain HTTP requests
/// to the mirror (what a client sends, headers and all).
enum ServeFixtures {
    struct Image {
        let manifest: Descriptor
        let config: Descriptor
        let layers: [Descriptor]
        var blobs: [Descriptor] { [config] + layers }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { raw in
            var index = 0
            while index < raw.count {
                var value = generator.next()
                withUnsafeBytes(of: &value) { word in
                    for byte in word where index < raw.count {
                        raw[index] = byte
                        index += 1
                    }
                }
            }
        }
        return bytes
    }

    static func descriptor(of bytes: [UInt8], mediaType: String) throws -> Descriptor {
        let hex = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        return Descriptor(mediaType: mediaType, digest: try Digest(algorithm: .sha256, encoded: hex), size: Int64(bytes.count))
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// An image with gzip-wrapped random layers, named `name` in `layout`.
    @discardableResult
    static func makeImage(in layout: OCILayout, name: String, layerSizes: [Int]) async throws -> Image {
        var layers: [Descriptor] = []
        var diffIDs: [String] = []
        for size in layerSizes {
            let payload = randomBytes(size)
            diffIDs.append(sha256(payload))
            let blob = StoredGzip.wrap(payload)
            let layer = try descriptor(of: blob, mediaType: MediaType.ociLayerGzip)
            try layout.writeBlob(blob, as: layer)
            layers.append(layer)
        }
        let configObject: [String: Any] = [
            "architecture": Platform.current.architecture, "os": Platform.current.os,
            "config": ["Labels": ["hawser.test": UUID().uuidString]],
            "rootfs": ["type": "layers", "diff_ids": diffIDs], "created": "2024-01-01T00:00:00Z",
        ]
        let configBytes = [UInt8](try JSONSerialization.data(withJSONObject: configObject, options: [.sortedKeys]))
        let config = try descriptor(of: configBytes, mediaType: MediaType.ociConfig)
        try layout.writeBlob(configBytes, as: config)
        let manifest = ImageManifest(schemaVersion: 2, mediaType: MediaType.ociManifest, config: config, layers: layers)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let manifestBytes = [UInt8](try encoder.encode(manifest))
        let manifestDescriptor = try descriptor(of: manifestBytes, mediaType: MediaType.ociManifest)
        try layout.writeBlob(manifestBytes, as: manifestDescriptor)
        try await layout.addReference(manifestDescriptor, name: name)
        return Image(manifest: manifestDescriptor, config: config, layers: layers)
    }

    /// Pushes `name` from `layout` to `registry` as `repository:tag`, straight to its plain-HTTP port.
    static func push(_ layout: OCILayout, name: String, to registry: RegistryServer, repository: String, tag: String) async throws {
        let image = try ImageReference(parsing: "\(registry.host)/\(repository):\(tag)")
        let attempt = Attempt(position: 1, role: .server(implicit: false), endpoint: Endpoint(scheme: .http, host: registry.host, path: "/v2"),
                              transport: .plainHTTP, capabilities: .all, repository: image.repository, rewrite: nil, namespace: nil,
                              credentialsKey: nil)
        let plan = Plan(image: image, source: .hostsDirectory(path: "/test", directory: nil), attempts: [attempt])
        let pool = HTTPClientPool()
        do {
            try await ImagePusher(plan: plan, credentials: { _ in nil }, layout: layout, sourceName: name, pool: pool).push()
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }

    /// How many times the registry's access log shows `GET <path>` (query ignored).
    static func gets(_ path: String, in log: String) -> Int {
        requests("GET", path, in: log)
    }

    static func requests(_ method: String, _ path: String, in log: String) -> Int {
        log.components(separatedBy: "\n").filter { $0.contains("\"\(method) \(path) ") || $0.contains("\"\(method) \(path)?") }.count
    }

    struct Reply: Sendable {
        let status: Int
        let headers: [(String, String)]
        let body: [UInt8]
        /// The body ended in an error (the connection closed short of Content-Length).
        let failed: Bool

        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// One request through a new client (no connection reuse between tests).
    static func request(_ url: String, method: HTTPMethod = .GET, headers: [(String, String)] = [],
                        client: HTTPClient = .shared) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(60))
        var body: [UInt8] = []
        var failed = false
        do {
            for try await chunk in response.body { body += chunk.readableBytesView }
        } catch {
            failed = true
        }
        return Reply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: body, failed: failed)
    }
}
