import Foundation
import HawserCore
@testable import HawserRegistry
import HawserTestSupport
import HawserTransfer
import Synchronization
import Testing

/// `ImageCopier` from a scripted source registry (TestHTTPServer) to a real
/// docker-registry: a source that breaks mid-blob (the blob is copied again,
/// the destination ends with the right bytes), and the OCI 1.1 referrers API,
/// which docker-registry 2.8 does not have.
@Suite("copy from a scripted source")
struct CopyFaultTests {
    /// A one-image registry in memory: the manifest under `v1` and its digest, its blobs, one referrer.
    struct FakeImage {
        let manifest: Descriptor
        let manifestBytes: [UInt8]
        let layer: Descriptor
        let referrer: Descriptor
        let blobs: [String: [UInt8]]
        let manifests: [String: (bytes: [UInt8], type: String)]
        let referrersIndex: String

        init() throws {
            let layerBytes = ImageFactory.randomBytes(300_000)
            layer = try ImageFactory.descriptor(of: layerBytes, mediaType: MediaType.ociLayerGzip)
            let configBytes = Array(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.utf8)
            let config = try ImageFactory.descriptor(of: configBytes, mediaType: MediaType.ociConfig)
            func json(_ d: Descriptor) -> String { #"{"digest":"\#(d.digest)","mediaType":"\#(d.mediaType)","size":\#(d.size)}"# }
            manifestBytes = Array(#"{"config":\#(json(config)),"layers":[\#(json(layer))],"mediaType":"\#(MediaType.ociManifest)","schemaVersion":2}"#.utf8)
            manifest = try ImageFactory.descriptor(of: manifestBytes, mediaType: MediaType.ociManifest)
            let empty = Array("{}".utf8)
            let emptyConfig = try ImageFactory.descriptor(of: empty, mediaType: "application/vnd.oci.empty.v1+json")
            let referrerBytes = Array((#"{"artifactType":"application/vnd.example.signature","config":\#(json(emptyConfig)),"layers":[\#(json(emptyConfig))],"#
                + #""mediaType":"\#(MediaType.ociManifest)","schemaVersion":2,"subject":\#(json(manifest))}"#).utf8)
            referrer = try ImageFactory.descriptor(of: referrerBytes, mediaType: MediaType.ociManifest)
            blobs = [layer.digest.description: layerBytes, config.digest.description: configBytes, emptyConfig.digest.description: empty]
            manifests = ["v1": (manifestBytes, MediaType.ociManifest), manifest.digest.description: (manifestBytes, MediaType.ociManifest),
                         referrer.digest.description: (referrerBytes, MediaType.ociManifest)]
            referrersIndex = #"{"manifests":[{"artifactType":"application/vnd.example.signature","digest":"\#(referrer.digest)","#
                + #""mediaType":"\#(MediaType.ociManifest)","size":\#(referrer.size)}],"mediaType":"\#(MediaType.ociIndex)","schemaVersion":2}"#
        }

        /// Serves the image (Range included); the first `brokenGets` GETs of the layer
        /// close the connection after `closeAfter` bytes.
        func handler(brokenGets: Int, closeAfter: Int = 100_000) -> TestHTTPServer.Handler {
            let remaining = Counter(brokenGets)
            return { request in
                let parts = request.path.split(separator: "/").map(String.init)
                guard parts.count >= 4, parts[0] == "v2" else { return .json(200, "{}") }
                let key = parts[parts.count - 1]
                switch parts[parts.count - 2] {
                case "manifests":
                    guard let found = manifests[key], let digest = try? ImageFactory.descriptor(of: found.bytes, mediaType: found.type).digest else {
                        return .json(404, #"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#)
                    }
                    return TestHTTPServer.Response(status: 200, headers: [("Content-Type", found.type), ("Docker-Content-Digest", digest.description)],
                                                   body: found.bytes)
                case "blobs":
                    guard let bytes = blobs[key] else { return .json(404, #"{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]}"#) }
                    var response = TestHTTPServer.Response(status: 200, headers: [("Content-Type", "application/octet-stream")], body: bytes)
                    if let range = request.header("Range"), range.hasPrefix("bytes="), let first = Int(range.dropFirst(6).split(separator: "-")[0]) {
                        response = TestHTTPServer.Response(status: 206, headers: [("Content-Type", "application/octet-stream"),
                                                                                  ("Content-Range", "bytes \(first)-\(bytes.count - 1)/\(bytes.count)")],
                                                           body: Array(bytes[first...]))
                    }
                    if key == layer.digest.description, request.method == "GET", remaining.value.withLock({ count in defer { count -= 1 }; return count > 0 }) {
                        response.closeAfter = closeAfter
                    }
                    return response
                case "referrers":
                    let index = key == manifest.digest.description ? referrersIndex : #"{"manifests":[],"mediaType":"\#(MediaType.ociIndex)","schemaVersion":2}"#
                    return TestHTTPServer.Response(status: 200, headers: [("Content-Type", MediaType.ociIndex)], body: Array(index.utf8))
                default:
                    return .json(404, "{}")
                }
            }
        }
    }

    final class Counter: Sendable {
        let value: Mutex<Int>
        init(_ start: Int) { value = Mutex(start) }
    }

    static func source(_ server: TestHTTPServer, pool: HTTPClientPool) -> RegistrySource {
        RegistrySource(client: RegistryClient(attempt: PlanFactory.attempt(1, server.baseURL, repository: "app", server: true),
                                              credentials: nil, access: .pull, pool: pool, tokenCache: TokenCache()))
    }

    static func destination(_ registry: RegistryServer, pool: HTTPClientPool) -> RegistryDestination {
        RegistryDestination(client: RegistryClient(attempt: PlanFactory.attempt(1, registry.baseURL, repository: "copied/app", server: true),
                                                   credentials: nil, access: .push, pool: pool, tokenCache: TokenCache()))
    }

    @Test("the source breaks mid-blob: the blob is copied again and the destination holds the right bytes")
    func brokenSource() async throws {
        let image = try FakeImage()
        try await withTestServer(image.handler(brokenGets: 1)) { server in
            try await withRegistry { registry in
                try await withPool { pool in
                    let destination = Self.destination(registry, pool: pool)
                    let result = try await ImageCopier(source: Self.source(server, pool: pool), destination: destination).copy("v1", to: "v1")
                    #expect(result.manifest.digest == image.manifest.digest)
                    let layerGets = server.requests.filter { $0.method == "GET" && $0.path.hasSuffix(image.layer.digest.description) }
                    #expect(layerGets.count == 2)
                    #expect(try await destination.hasBlob(image.layer))
                    // docker-registry checked the digest of what it received: skopeo reads the image back.
                    try Tools.run(try Tools.require(Tools.skopeo, package: "skopeo"),
                                  ["copy", "--src-tls-verify=false", "docker://\(registry.host)/copied/app:v1", "oci:\(registry.directory.file("read")):v1"])
                }
            }
        }
    }

    @Test("a chunked upload whose source breaks after two chunks completes: the session is asked what it holds, resumed from there or started over")
    func chunkedResume() async throws {
        let image = try FakeImage()
        // The break falls between two chunks. One inside a PATCH leaves docker-registry
        // holding part of it and refusing the session's state: the upload then starts
        // over in a new session (the path brokenSource takes).
        try await withTestServer(image.handler(brokenGets: 1, closeAfter: 2 * (64 << 10))) { server in
            try await withRegistry { registry in
                try await withPool { pool in
                    let options = CopyOptions(blobs: BlobCopyOptions(chunkThreshold: 64 << 10))
                    let result = try await ImageCopier(source: Self.source(server, pool: pool), destination: Self.destination(registry, pool: pool),
                                                       options: options).copy("v1", to: "v1")
                    #expect(result.manifest.digest == image.manifest.digest)
                    let layerGets = server.requests.filter { $0.method == "GET" && $0.path.hasSuffix(image.layer.digest.description) }
                    #expect(layerGets.count == 2)
                    // Resumed (a Range GET) only when docker-registry still accepts the session: that depends on
                    // whether the third PATCH had begun to deliver bytes when the break reached it (a race). When it
                    // resumes, it is from the bytes the session holds, at or past the two accepted chunks.
                    if let resumedAt = layerGets.last?.header("Range").flatMap({ Int($0.dropFirst("bytes=".count).split(separator: "-")[0]) }) {
                        #expect(resumedAt >= 2 * (64 << 10))
                    }
                    #expect(registry.log.contains("\"GET /v2/copied/app/blobs/uploads/"))
                    try Tools.run(try Tools.require(Tools.skopeo, package: "skopeo"),
                                  ["copy", "--src-tls-verify=false", "docker://\(registry.host)/copied/app:v1", "oci:\(registry.directory.file("read")):v1"])
                }
            }
        }
    }

    @Test("a source that always breaks mid-blob: the copy fails after its attempts, naming the source")
    func alwaysBroken() async throws {
        let image = try FakeImage()
        try await withTestServer(image.handler(brokenGets: 100)) { server in
            try await withRegistry { registry in
                try await withPool { pool in
                    let copier = ImageCopier(source: Self.source(server, pool: pool), destination: Self.destination(registry, pool: pool))
                    await #expect { try await copier.copy("v1", to: "v1") } throws: { error in
                        (error as? TransferError)?.place.side == .source && "\(error)".contains("source registry \(server.host) (repository app)")
                    }
                    let layerGets = server.requests.filter { $0.method == "GET" && $0.path.hasSuffix(image.layer.digest.description) }
                    #expect(layerGets.count == BlobCopyOptions().attempts)
                    let left = try await Self.destination(registry, pool: pool).existingManifest("v1")
                    #expect(left == nil)
                }
            }
        }
    }

    @Test("--referrers through the referrers API of a source that has it")
    func referrersAPI() async throws {
        let image = try FakeImage()
        try await withTestServer(image.handler(brokenGets: 0)) { server in
            try await withRegistry { registry in
                try await withPool { pool in
                    let destination = Self.destination(registry, pool: pool)
                    let result = try await ImageCopier(source: Self.source(server, pool: pool), destination: destination,
                                                       options: CopyOptions(referrers: true)).copy("v1", to: "v1")
                    #expect(result.referrers == 1)
                    #expect(server.requests.contains { $0.path == "/v2/app/referrers/\(image.manifest.digest)" })
                    #expect(try await destination.existingManifest(image.referrer.digest.description)?.digest == image.referrer.digest)
                }
            }
        }
    }
}
