import Foundation
import HawserCore
import NIOCore
import Testing
@testable import HawserRegistry
import HawserTestSupport

/// `--concurrency` is what a pull really has in flight: the client pool opens as
/// many connections to the host (it once stayed at 8 whatever was asked), and a
/// pull never queues more blobs than its pool can connect at once.
@Suite("Pull concurrency")
struct ConcurrencyTests {
    /// A server for one image of `layers` layers that answers blob GETs through `gate`.
    private static func serve(layers: Int, in work: TemporaryDirectory) throws -> (TestHTTPServer.Handler, ImageFactory.Image) {
        let source = try OCILayout(creatingAt: work.file("source"))
        let image = try ImageFactory.makeImage(in: source, layerSizes: Array(repeating: 512, count: layers))
        let manifest = try source.readBlob(image.manifest.digest)
        var blobs: [String: [UInt8]] = [:]
        for blob in [image.config] + image.layers { blobs[blob.digest.description] = try source.readBlob(blob.digest) }
        let served = blobs
        let handler: TestHTTPServer.Handler = { request in
            if request.path.contains("/manifests/") {
                return TestHTTPServer.Response(status: 200, headers: [("Content-Type", MediaType.ociManifest),
                                                                     ("Docker-Content-Digest", image.manifest.digest.description)],
                                               body: manifest)
            }
            if let digest = request.path.split(separator: "/").last, let bytes = served[String(digest)] {
                return TestHTTPServer.Response(status: 200, body: bytes)
            }
            return TestHTTPServer.Response(status: 404)
        }
        return (handler, image)
    }

    private static func pull(
        concurrency: Int, gate: RequestGate, layers: Int, pool: HTTPClientPool? = nil
    ) async throws -> Int {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let (handler, image) = try serve(layers: layers, in: work)
        let pool = pool ?? HTTPClientPool(connectionsPerHost: concurrency)
        do {
            let peak = try await withTestServer(gate: gate, handler) { server in
                let plan = try PlanFactory.direct("\(server.host)/many/layers:v1", url: server.baseURL)
                let layout = try OCILayout(creatingAt: work.file("pulled"))
                let result = try await ImagePuller(plan: plan, credentials: noCredentials, layout: layout, pool: pool,
                                                   options: PullOptions(concurrency: concurrency)).pull()
                #expect(result.manifest.digest == image.manifest.digest)
                return gate.peak
            }
            await pool.shutdown()
            return peak
        } catch {
            await pool.shutdown()
            throw error
        }
    }

    @Test("12 blobs are in flight at once with --concurrency 12")
    func reachesTheRequestedConcurrency() async throws {
        // The gate answers only once 12 blob requests wait at the same time (or after 10 s).
        let gate = RequestGate(count: 12, timeout: .seconds(10)) { $0.path.contains("/blobs/") }
        let peak = try await Self.pull(concurrency: 12, gate: gate, layers: 14)
        #expect(peak == 12)
    }

    @Test("no more than --concurrency blobs are in flight")
    func staysWithinTheLimit() async throws {
        // A 4th request never comes, so the gate holds the first three for the whole
        // timeout: long enough that all three arrive even on a loaded 2-core machine.
        let gate = RequestGate(count: 4, timeout: .seconds(4)) { $0.path.contains("/blobs/") }
        let peak = try await Self.pull(concurrency: 3, gate: gate, layers: 6)
        #expect(peak == 3)
    }

    @Test("a pool with fewer connections bounds the pull instead of failing it")
    func boundedByThePool() async throws {
        // AsyncHTTPClient fails a request that waits for a connection longer than the
        // connect timeout (1 s here, ample for a loopback connect on a loaded machine);
        // the gate holds the first blobs for 4 s, far past it.
        let gate = RequestGate(count: 3, timeout: .seconds(4)) { $0.path.contains("/blobs/") }
        let pool = HTTPClientPool(connectTimeout: .seconds(1), connectionsPerHost: 2)
        let peak = try await Self.pull(concurrency: 6, gate: gate, layers: 6, pool: pool)
        #expect(peak == 2)
    }
}
