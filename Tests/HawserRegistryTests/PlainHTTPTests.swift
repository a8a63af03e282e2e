import Foundation
import HawserCore
@testable import HawserRegistry
import Synchronization
import Testing
import HawserTestSupport

@Suite("Plain HTTP against docker-registry")
struct PlainHTTPTests {
    @Test("push an image, pull it back: same digest, blobs verified, second pull downloads nothing")
    func pushThenPull() async throws {
        try await withRegistry { registry in
            try await withPool { pool in
                let work = try TemporaryDirectory()
                defer { work.remove() }
                let source = try OCILayout(creatingAt: work.file("source"))
                let image = try await ImageFactory.makeNamedImage(in: source, name: "v1", layerSizes: [4096, 300_000, 1_500_000])
                let plan = try PlanFactory.direct("\(registry.host)/hawser/app:v1", url: registry.baseURL)

                let pushed = try await ImagePusher(plan: plan, credentials: noCredentials, layout: source, sourceName: "v1", pool: pool).push()
                #expect(pushed.manifest.digest == image.manifest.digest)
                #expect(pushed.skippedBlobs == 0)

                let again = try await ImagePusher(plan: plan, credentials: noCredentials, layout: source, sourceName: "v1", pool: pool).push()
                #expect(again.skippedBlobs == 4)
                #expect(again.uploadedBytes == 0)

                let destination = try OCILayout(creatingAt: work.file("pulled"))
                let events = EventLog()
                let pulled = try await ImagePuller(plan: plan, credentials: noCredentials, layout: destination, pool: pool,
                                                   observer: events.record).pull()
                // The display's total comes from the manifest: every blob is announced before the first one moves.
                let planned = events.all.firstIndex { if case .blobsPlanned = $0 { true } else { false } }
                let started = events.all.firstIndex { if case .blobStarted = $0 { true } else { false } }
                if let planned, case .blobsPlanned(let blobs) = events.all[planned] {
                    #expect(Set(blobs.map(\.digest)) == Set(([image.config] + image.layers).map(\.digest)))
                    #expect(started.map { planned < $0 } ?? false)
                } else {
                    Issue.record("no blobsPlanned event before the blobs: \(events.all)")
                }
                #expect(pulled.manifest.digest == image.manifest.digest)
                #expect(pulled.servedBy.position == 1)
                for blob in [image.config] + image.layers {
                    #expect(destination.contains(blob))
                }
                #expect(try await destination.descriptor(named: "v1").digest == image.manifest.digest)

                let second = try await ImagePuller(plan: plan, credentials: noCredentials, layout: destination, pool: pool).pull()
                #expect(second.downloadedBytes == 0)
                #expect(second.skippedBlobs == 4)
            }
        }
    }

    @Test("chunked upload (POST, PATCH…, PUT) stores the same blobs as a monolithic one")
    func chunkedPush() async throws {
        try await withRegistry { registry in
            try await withPool { pool in
                let work = try TemporaryDirectory()
                defer { work.remove() }
                let source = try OCILayout(creatingAt: work.file("source"))
                let image = try await ImageFactory.makeNamedImage(in: source, name: "v1", layerSizes: [200_000, 10])
                let plan = try PlanFactory.direct("\(registry.host)/hawser/chunked:v1", url: registry.baseURL)
                try await ImagePusher(plan: plan, credentials: noCredentials, layout: source, sourceName: "v1", pool: pool,
                                      options: PushOptions(chunkSize: 65_536)).push()
                #expect(registry.log.contains("\"PATCH /v2/hawser/chunked/blobs/uploads/"))
                let pulled = try await pull(plan, pool: pool, in: work)
                #expect(pulled.manifest.digest == image.manifest.digest)
            }
        }
    }

    @Test("the seed's scenario: docker.io mirrored to a plain-HTTP registry, pulled as docker.io/…, no TLS attempted")
    func seedScenario() async throws {
        try await withRegistry { registry in
            try await withPool { pool in
                let work = try TemporaryDirectory()
                defer { work.remove() }
                let source = try OCILayout(creatingAt: work.file("source"))
                let image = try await ImageFactory.makeNamedImage(in: source, name: "v1")
                try await ImagePusher(plan: PlanFactory.direct("\(registry.host)/library/app:v1", url: registry.baseURL),
                                      credentials: noCredentials, layout: source, sourceName: "v1", pool: pool).push()

                // The mirror is reached through a proxy that sees the first byte of every connection.
                let proxy = try await SniffingProxy.start(forwardingTo: registry.port)
                // The seed's registries.yaml, as K3s renders it and containerd plans it.
                let config = try K3sConfig("mirrors:\n  docker.io:\n    endpoint:\n      - \"http://\(proxy.host)\"\n", in: work)
                let plan = try config.plan("docker.io/library/app:v1")
                #expect(plan.attempts.map { $0.manifestURL(for: plan.image) } == [
                    "http://\(proxy.host)/v2/library/app/manifests/v1?ns=docker.io",
                    "https://registry-1.docker.io/v2/library/app/manifests/v1",
                ])
                #expect(plan.attempts.map(\.transport.kind) == ["plain-http", "https-system-trust"])
                let pulled = try await config.pull("docker.io/library/app:v1", pool: pool, in: work)
                await proxy.stop()
                #expect(pulled.manifest.digest == image.manifest.digest)
                #expect(pulled.attempts.map(\.outcome) == [.served, .notTried])
                let kinds = proxy.connectionKinds
                #expect(kinds.first == "HEAD", "connections: \(kinds)")
                #expect(kinds.allSatisfy { $0 == "HEAD" || $0 == "GET" }, "a TLS ClientHello reached the plain-HTTP mirror: \(kinds)")

                let log = registry.log
                #expect(log.contains("\"HEAD /v2/library/app/manifests/v1?ns=docker.io HTTP/1.1\" 200"))
                #expect(log.contains("\"GET /v2/library/app/manifests/\(image.manifest.digest)?ns=docker.io HTTP/1.1\" 200"))
                #expect(!log.contains("TLS handshake"))
                #expect(!log.contains("\" 400 "))
            }
        }
    }
}

/// The events a transfer sent, in order.
final class EventLog: Sendable {
    private let events = Mutex<[TransferEvent]>([])
    var all: [TransferEvent] { events.withLock { $0 } }
    var record: TransferObserver { { [self] event in events.withLock { $0.append(event) } } }
}
