import Foundation
import HawserCore
@testable import HawserRegistry
import Synchronization
import HawserTestSupport
import Testing

/// A connection reset mid-blob (issue 10, row 6): before, the pull failed at
/// once, one GET, no retry. Now the same host is asked again (with backoff, up
/// to 4 times), resuming with Range from the bytes already verified when the
/// registry honours it, and starting over (hash included) when it does not.
@Suite("transient failures mid-blob")
struct ResumeTests {
    /// The Range header of each layer GET, in order ("" for none).
    final class RangeLog: Sendable {
        let entries = Mutex<[String]>([])
        func append(_ value: String) { entries.withLock { $0.append(value) } }
        var all: [String] { entries.withLock { $0 } }
    }

    struct Served: Sendable {
        let layer: Descriptor
        let handler: TestHTTPServer.Handler
    }

    /// An image whose layer GETs are cut after a third of what is asked, `cuts` times.
    static func server(in work: TemporaryDirectory, cuts: Int, honoursRange: Bool, log: RangeLog) throws -> Served {
        let source = try OCILayout(creatingAt: work.file("source"))
        let image = try ImageFactory.makeImage(in: source, layerSizes: [300_000])
        let manifest = try source.readBlob(image.manifest.digest)
        let config = try source.readBlob(image.config.digest)
        let layer = try #require(image.layers.first)
        let bytes = try source.readBlob(layer.digest, maximumSize: 1 << 20)
        let requests = Mutex(0)
        let handler: TestHTTPServer.Handler = { request in
            if request.method == "HEAD" { return TestHTTPServer.Response(status: 405) }
            if request.path.contains("/manifests/") {
                return TestHTTPServer.Response(status: 200, headers: [("Content-Type", MediaType.ociManifest)], body: manifest)
            }
            if request.path.hasSuffix(image.config.digest.description) { return TestHTTPServer.Response(status: 200, body: config) }
            guard request.path.hasSuffix(layer.digest.description) else { return TestHTTPServer.Response(status: 404) }
            let number = requests.withLock { $0 += 1; return $0 }
            log.append(request.header("Range") ?? "")
            var start = 0
            if honoursRange, let range = request.header("Range"), range.hasPrefix("bytes="),
               let first = range.dropFirst(6).split(separator: "-").first.flatMap({ Int($0) }) {
                start = first
            }
            let body = Array(bytes[start...])
            var response = start > 0
                ? TestHTTPServer.Response(status: 206, headers: [("Content-Range", "bytes \(start)-\(bytes.count - 1)/\(bytes.count)")], body: body)
                : TestHTTPServer.Response(status: 200, body: body)
            response.headers.append(("Content-Length", "\(body.count)"))
            if number <= cuts { response.closeAfter = body.count / 3 }
            return response
        }
        return Served(layer: layer, handler: handler)
    }

    @Test("reset twice mid-blob, Range honoured: the third GET resumes where the second stopped, nothing is fetched twice")
    func resumesWithRange() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let log = RangeLog()
        let served = try Self.server(in: work, cuts: 2, honoursRange: true, log: log)
        try await withPool { pool in
            try await withTestServer(served.handler) { server in
                let plan = try PlanFactory.direct("\(server.host)/reset/app:v1", url: server.baseURL)
                let result = try await pull(plan, pool: pool, in: work)
                let layout = try OCILayout(openingAt: work.file("pulled"))
                #expect(layout.verify(served.layer))
                #expect(result.manifest.digest.algorithm == .sha256)
                // Each GET resumes where the bytes stopped: offsets grow, nothing is asked twice.
                let ranges = log.all
                #expect(ranges.count == 3)
                #expect(ranges.first == "")
                let offsets = ranges.dropFirst().compactMap { $0.dropFirst(6).split(separator: "-").first.flatMap { Int($0) } }
                #expect(offsets.count == 2 && offsets[0] > 0 && offsets[1] > offsets[0] && offsets[1] < Int(served.layer.size), "\(ranges)")
            }
        }
    }

    @Test("reset twice mid-blob, Range ignored: the blob starts over, hashed from zero, and is verified")
    func restartsWithoutRange() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let log = RangeLog()
        let served = try Self.server(in: work, cuts: 2, honoursRange: false, log: log)
        try await withPool { pool in
            try await withTestServer(served.handler) { server in
                let plan = try PlanFactory.direct("\(server.host)/reset/app:v1", url: server.baseURL)
                _ = try await pull(plan, pool: pool, in: work)
                #expect(try OCILayout(openingAt: work.file("pulled")).verify(served.layer))
                #expect(log.all.count == 3)
            }
        }
    }

    @Test("reset on every GET: fails after 4 attempts with the reason, nothing stored")
    func givesUp() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let log = RangeLog()
        let served = try Self.server(in: work, cuts: 100, honoursRange: true, log: log)
        try await withPool { pool in
            try await withTestServer(served.handler) { server in
                let plan = try PlanFactory.direct("\(server.host)/reset/app:v1", url: server.baseURL)
                await #expect(throws: (any Error).self) { try await pull(plan, pool: pool, in: work) }
                #expect(log.all.count == RegistryClient.blobAttempts)
                let layout = try OCILayout(openingAt: work.file("pulled"))
                #expect(!layout.contains(served.layer))
                let ingest = (try? FileManager.default.contentsOfDirectory(atPath: layout.root + "/" + OCILayout.ingestDirectory)) ?? []
                #expect(ingest.isEmpty)
            }
        }
    }
}
