import Foundation
import HawserCore
@testable import HawserRegistry
import HawserTestSupport
import Testing

/// A registry that drips a blob (issue 10, row 5): before, a blob at a few
/// bytes per second was still "downloading" after 100 s, only a 2-hour
/// deadline applied. Now a download that brings less than 1 KiB in the stall
/// timeout fails, the ingest file is removed, and the next host is tried.
@Suite("stalled downloads")
struct StallTests {
    @Test("a blob dripped at 5 bytes/s fails after the stall timeout, with the reason, and nothing is stored")
    func dripFails() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let source = try OCILayout(creatingAt: work.file("source"))
        let image = try ImageFactory.makeImage(in: source, layerSizes: [5000])
        let manifest = try source.readBlob(image.manifest.digest)
        let config = try source.readBlob(image.config.digest)
        let layer = try #require(image.layers.first)
        let layerBytes = try source.readBlob(layer.digest, maximumSize: 1 << 20)
        let handler: TestHTTPServer.Handler = { request in
            if request.method == "HEAD" { return TestHTTPServer.Response(status: 405) }
            if request.path.contains("/manifests/") {
                return TestHTTPServer.Response(status: 200, headers: [("Content-Type", MediaType.ociManifest)], body: manifest)
            }
            if request.path.hasSuffix(image.config.digest.description) { return TestHTTPServer.Response(status: 200, body: config) }
            if request.path.hasSuffix(layer.digest.description) {
                return TestHTTPServer.Response(status: 200, body: layerBytes, drip: .milliseconds(200))
            }
            return TestHTTPServer.Response(status: 404)
        }
        try await withPool { pool in
            try await withTestServer(handler) { server in
                let plan = try PlanFactory.direct("\(server.host)/slow/app:v1", url: server.baseURL)
                let layout = try OCILayout(creatingAt: work.file("pulled"))
                let start = ContinuousClock.now
                do {
                    _ = try await ImagePuller(plan: plan, credentials: noCredentials, layout: layout, pool: pool,
                                              options: PullOptions(stallTimeout: .seconds(1))).pull()
                    Issue.record("a dripped blob should fail")
                } catch {
                    #expect("\(error)".contains("stalled"), "\(error)")
                    #expect("\(error)".contains("--stall-timeout"))
                }
                // Dripped to the end, the layer would take 1,000 s; the stall ends it
                // after the 1 s window (the bound leaves room for a loaded CI machine).
                let elapsed = ContinuousClock.now - start
                #expect(elapsed < .seconds(60), "took \(elapsed)")
                #expect(!layout.contains(layer))
                let ingest = (try? FileManager.default.contentsOfDirectory(atPath: layout.root + "/" + OCILayout.ingestDirectory)) ?? []
                #expect(ingest.isEmpty, "\(ingest)")
            }
        }
    }
}
