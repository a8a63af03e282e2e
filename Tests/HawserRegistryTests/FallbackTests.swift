import Synchronization
import Foundation
import HawserCore
@testable import HawserRegistry
import NIOCore
import Testing
import HawserTestSupport

@Suite("Walking the plan: fallback, errors, content checks")
struct FallbackTests {
    static let notFound: TestHTTPServer.Handler = { _ in
        .json(404, #"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#)
    }

    @Test("a mirror answering 404 is passed over; the server behind it serves the image")
    func mirror404ThenFallback() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { registry in
            try await withPool { pool in
                let image = try await seed(PlanFactory.direct("\(registry.host)/fallback/app:v1", url: registry.baseURL), pool: pool, in: work)
                try await withTestServer(Self.notFound) { mirror in
                    // K3s: the mirror first, then the registry's own endpoint (the server line, plain HTTP on a loopback port).
                    let config = try K3sConfig("mirrors:\n  \"\(registry.host)\":\n    endpoint:\n      - \"\(mirror.baseURL)\"\n", in: work)
                    let plan = try config.plan("\(registry.host)/fallback/app:v1")
                    #expect(plan.attempts.map(\.endpoint.description) == ["\(mirror.baseURL)/v2", "\(registry.baseURL)/v2"])
                    #expect(plan.attempts.map(\.transport.kind) == ["plain-http", "plain-http"])
                    let result = try await config.pull("\(registry.host)/fallback/app:v1", pool: pool, in: work)
                    #expect(result.manifest.digest == image.manifest.digest)
                    #expect(result.servedBy.position == 2)
                    #expect(result.attempts.first?.error?.code == .notFound)
                    #expect(result.attempts.first?.error?.registryErrors.first?.code == "MANIFEST_UNKNOWN")
                    #expect(mirror.requests.first?.uri == "/v2/fallback/app/manifests/v1?ns=\(registry.host.replacingOccurrences(of: ":", with: "%3A"))")
                }
            }
        }
    }

    @Test("when every attempt fails, the error lists each and leads with the most telling one")
    func aggregatesFailures() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withPool { pool in
            try await withTestServer(Self.notFound) { notFound in
                try await withTestServer({ _ in
                    .json(403, #"{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"#)
                }) { denied in
                    // Two mirrors, then the registry's own endpoint, where nothing listens.
                    let closed = try FreePort.next()
                    let config = try K3sConfig("""
                        mirrors:
                          "127.0.0.1:\(closed)":
                            endpoint:
                              - \(notFound.baseURL)
                              - \(denied.baseURL)
                        """, in: work)
                    let plan = try config.plan("127.0.0.1:\(closed)/app:v1")
                    #expect(plan.attempts.map(\.endpoint.description) == ["\(notFound.baseURL)/v2", "\(denied.baseURL)/v2", "http://127.0.0.1:\(closed)/v2"])
                    do {
                        _ = try await config.pull("127.0.0.1:\(closed)/app:v1", pool: pool, in: work)
                        Issue.record("the pull should have failed")
                    } catch let error as AttemptsFailedError {
                        #expect(error.attempts.map(\.position) == [1, 2, 3])
                        #expect(error.attempts.map { $0.error?.code } == [.notFound, .forbidden, .transport])
                        #expect(error.primary?.position == 2)
                        let text = error.description
                        #expect(text.contains("most telling (attempt 2)"))
                        #expect(text.contains("DENIED"))
                        #expect(text.contains("127.0.0.1:\(closed)"))
                    }
                }
            }
        }
    }

    @Test("the 'HTTP response to HTTPS client' of a later attempt does not hide a mirror's 403")
    func httpsErrorDoesNotHideTheMirror() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { registry in
            try await withPool { pool in
                try await withTestServer({ _ in
                    .json(403, #"{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"#)
                }) { denied in
                    // The mirror, then the plain-HTTP registry written https:// (the seed's trap), then its own http:// server line.
                    let config = try K3sConfig("""
                        mirrors:
                          "\(registry.host)":
                            endpoint:
                              - \(denied.baseURL)
                              - https://\(registry.host)
                        """, in: work)
                    do {
                        _ = try await config.pull("\(registry.host)/absent/app:v1", pool: pool, in: work)
                        Issue.record("the pull should have failed")
                    } catch let error as AttemptsFailedError {
                        #expect(error.attempts.map { $0.error?.code } == [.forbidden, .httpResponseToHTTPS, .notFound])
                        #expect(error.primary?.position == 1)
                    }
                }
            }
        }
    }

    @Test("a layer whose bytes do not match its digest is refused and not stored (HEAD 405 falls back to GET)")
    func refusesCorruptLayer() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let source = try OCILayout(creatingAt: work.file("source"))
        let image = try ImageFactory.makeImage(in: source, layerSizes: [5000])
        let manifestBytes = try source.readBlob(image.manifest.digest)
        let configBytes = try source.readBlob(image.config.digest)
        let layer = try #require(image.layers.first)
        let tampered = ImageFactory.randomBytes(Int(layer.size))
        let handler: TestHTTPServer.Handler = { request in
            if request.method == "HEAD" { return TestHTTPServer.Response(status: 405) }
            if request.path.hasSuffix("/manifests/v1") || request.path.hasSuffix("/manifests/\(image.manifest.digest)") {
                return TestHTTPServer.Response(status: 200, headers: [("Content-Type", MediaType.ociManifest)], body: manifestBytes)
            }
            if request.path.hasSuffix(image.config.digest.description) { return TestHTTPServer.Response(status: 200, body: configBytes) }
            if request.path.hasSuffix(layer.digest.description) { return TestHTTPServer.Response(status: 200, body: tampered) }
            return Self.notFound(request)
        }
        try await withPool { pool in
            try await withTestServer(handler) { server in
                let plan = try PlanFactory.direct("\(server.host)/bad/layer:v1", url: server.baseURL)
                let destination = try OCILayout(creatingAt: work.file("pulled"))
                await #expect {
                    try await ImagePuller(plan: plan, credentials: noCredentials, layout: destination, pool: pool).pull()
                } throws: { primaryCode($0) == .content }
                #expect(!FileManager.default.fileExists(atPath: destination.blobPath(layer.digest)))
                #expect(try await destination.references().isEmpty)
                let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: destination.root + "/" + OCILayout.ingestDirectory)) ?? []
                #expect(leftovers.isEmpty)
                #expect(server.requests.contains { $0.method == "HEAD" })
            }
        }
    }

    @Test("a digest reference is checked against the bytes served")
    func verifiesDigestReference() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let source = try OCILayout(creatingAt: work.file("source"))
        let image = try ImageFactory.makeImage(in: source)
        let other = try ImageFactory.makeImage(in: source)
        let otherBytes = try source.readBlob(other.manifest.digest)
        try await withPool { pool in
            try await withTestServer({ _ in
                TestHTTPServer.Response(status: 200, headers: [("Content-Type", MediaType.ociManifest)], body: otherBytes)
            }) { server in
                let plan = try PlanFactory.direct("\(server.host)/bad/manifest@\(image.manifest.digest)", url: server.baseURL)
                await #expect { try await pull(plan, pool: pool, in: work) } throws: { primaryCode($0) == .content }
            }
        }
    }

    @Test("429 with Retry-After is retried on the same host")
    func retriesTooManyRequests() async throws {
        let counter = Counter()
        try await withPool { pool in
            try await withTestServer({ _ in
                counter.next() < 2 ? TestHTTPServer.Response(status: 429, headers: [("Retry-After", "0")]) : TestHTTPServer.Response(status: 200)
            }) { server in
                let plan = try PlanFactory.direct("\(server.host)/retry/app:v1", url: server.baseURL)
                let client = RegistryClient(attempt: try #require(plan.attempts.first), credentials: nil, access: .pull, pool: pool, tokenCache: TokenCache())
                #expect(try await client.ping() == 200)
                #expect(server.requests.count == 3)
            }
        }
    }

    @Test("a redirect to another host drops the Authorization header")
    func redirectDropsAuthorization() async throws {
        try await withPool { pool in
            try await withTestServer({ _ in TestHTTPServer.Response(status: 200, body: Array("blob".utf8)) }) { storage in
                try await withTestServer({ request in
                    guard request.header("Authorization") != nil else {
                        return TestHTTPServer.Response(status: 401, headers: [("WWW-Authenticate", #"Basic realm="r""#)])
                    }
                    return TestHTTPServer.Response(status: 307, headers: [("Location", storage.baseURL + "/signed/blob?sig=1")])
                }) { registry in
                    let attempt = PlanFactory.attempt(1, registry.baseURL, repository: "redirect/app", credentialsKey: registry.host, server: true)
                    let client = RegistryClient(attempt: attempt, credentials: RegistryCredentials(username: "u", password: "p"),
                                                access: .pull, pool: pool, tokenCache: TokenCache())
                    let response = try await client.send(RegistryRequest(method: .GET, url: attempt.url("blobs", "sha256:abc")))
                    #expect(response.status == 200)
                    #expect(registry.requests.last?.header("Authorization")?.hasPrefix("Basic ") == true)
                    #expect(storage.requests.count == 1)
                    #expect(storage.requests.first?.header("Authorization") == nil)
                }
            }
        }
    }
}

/// A thread-safe counter for test servers' handlers.
final class Counter: Sendable {
    private let value = Synchronization.Mutex(0)
    func next() -> Int { value.withLock { current in defer { current += 1 }; return current } }
}
