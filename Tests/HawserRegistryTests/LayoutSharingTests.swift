import Foundation
import HawserCore
@testable import HawserRegistry
import HawserTestSupport
import Synchronization
import Testing

/// A layout is a store that is safe to share (issue 10, rows 4, 7 and 8).
/// Before the fix: two pulls at once kept one image in index.json in 4-14 of
/// 20-30 rounds, or failed with "cannot create" in the ingest folder; a same-size
/// corrupt blob or a symlink was "already present" forever; each kill -9 left
/// its ingest file for good.
@Suite("a layout shared by processes", .serialized)
struct LayoutSharingTests {
    static let rounds = 20

    func registriesYAML(_ registry: RegistryServer, in work: TemporaryDirectory) throws -> String {
        let path = work.file("registries.yaml")
        try "mirrors:\n  \"\(registry.host)\":\n    endpoint:\n      - \"http://\(registry.host)\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("20 rounds of two concurrent `hawser pull` of different images into one layout: both named, verify clean")
    func concurrentPulls() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { registry in
            let images = ["\(registry.host)/one/app:first", "\(registry.host)/two/app:second"]
            try await withPool { pool in
                for image in images {
                    _ = try await seed(PlanFactory.direct(image, url: registry.baseURL), pool: pool, in: work)
                }
            }
            let config = try registriesYAML(registry, in: work)
            let start = ContinuousClock.now
            for round in 0..<Self.rounds {
                let layout = work.file("layout-\(round)")
                let processes = try images.enumerated().map { offset, image in
                    try HawserBinary.start(["pull", image, "--config", config, "--output", layout, "--quiet"], log: work.file("pull-\(round)-\(offset).log"))
                }
                for (offset, process) in processes.enumerated() {
                    let result = try await HawserBinary.wait(process, log: work.file("pull-\(round)-\(offset).log"))
                    #expect(result.status == 0 && !result.crashed, "round \(round), pull \(offset): \(result.output)")
                }
                let names = try await OCILayout(openingAt: layout).references().compactMap(\.refName).sorted()
                #expect(names == ["first", "second"], "round \(round): index.json names \(names)")
                let verify = try await HawserBinary.run(["layout", "verify", layout], log: work.file("verify-\(round).log"))
                #expect(verify.status == 0, "round \(round): \(verify.output)")
                #expect(verify.output.contains("clean"))
                let ingest = (try? FileManager.default.contentsOfDirectory(atPath: layout + "/" + OCILayout.ingestDirectory)) ?? []
                #expect(ingest.isEmpty, "round \(round): ingest leftovers \(ingest)")
            }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed < .seconds(180), "20 rounds took \(elapsed)")
        }
    }

    @Test("a same-size corrupt blob: verify finds it; pull --verify-existing replaces it; --repair removes it")
    func corruptBlob() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { registry in
            try await withPool { pool in
                let plan = try PlanFactory.direct("\(registry.host)/corrupt/app:v1", url: registry.baseURL)
                let image = try await seed(plan, pool: pool, in: work)
                _ = try await pull(plan, pool: pool, in: work, name: "layout")
                let layout = try OCILayout(openingAt: work.file("layout"))
                let layer = try #require(image.layers.last)
                let path = layout.blobPath(layer.digest)
                try Data(ImageFactory.randomBytes(Int(layer.size))).write(to: URL(fileURLWithPath: path))

                // Without the flag, only the size is checked: the corrupt blob stays.
                let plain = try await ImagePuller(plan: plan, credentials: noCredentials, layout: layout, pool: pool).pull()
                #expect(plain.replacedBlobs == 0)
                let found = try await layout.verifyAll(repair: false)
                // The corrupt blob, and the image that needs it.
                #expect(found.problems.map(\.kind) == [.corruptBlob, .missingBlob])
                #expect(!found.isClean)

                let checked = try await ImagePuller(plan: plan, credentials: noCredentials, layout: layout, pool: pool,
                                                    options: PullOptions(verifyExisting: true)).pull()
                #expect(checked.replacedBlobs == 1)
                #expect(checked.downloadedBytes == layer.size)
                #expect(try await layout.verifyAll(repair: false).isClean)

                try Data(ImageFactory.randomBytes(Int(layer.size))).write(to: URL(fileURLWithPath: path))
                let repaired = try await layout.verifyAll(repair: true)
                #expect(repaired.problems.first?.kind == .corruptBlob && repaired.problems.first?.repaired == true)
                #expect(repaired.problems.contains { $0.kind == .missingBlob })
                #expect(!FileManager.default.fileExists(atPath: path))
                _ = try await ImagePuller(plan: plan, credentials: noCredentials, layout: layout, pool: pool).pull()
                #expect(try await layout.verifyAll(repair: false).isClean)
            }
        }
    }

    @Test("a blob that is a symlink is never taken as present, and is replaced by the verified bytes")
    func symlinkBlob() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { registry in
            try await withPool { pool in
                let plan = try PlanFactory.direct("\(registry.host)/link/app:v1", url: registry.baseURL)
                let image = try await seed(plan, pool: pool, in: work)
                _ = try await pull(plan, pool: pool, in: work, name: "layout")
                let layout = try OCILayout(openingAt: work.file("layout"))
                let layer = try #require(image.layers.first)
                let path = layout.blobPath(layer.digest)
                let elsewhere = work.file("elsewhere")
                try FileManager.default.moveItem(atPath: path, toPath: elsewhere)
                try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: elsewhere)
                #expect(!layout.contains(layer))
                #expect(try await layout.verifyAll(repair: false).problems.contains { $0.kind == .notARegularFile })

                let again = try await ImagePuller(plan: plan, credentials: noCredentials, layout: layout, pool: pool).pull()
                #expect(again.downloadedBytes == layer.size)
                #expect((try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeRegular)
                #expect(try await layout.verifyAll(repair: false).isClean)
            }
        }
    }

    @Test("ingest files of a process that is gone are removed by the next pull, and listed by verify")
    func staleIngest() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let layout = try OCILayout(creatingAt: work.file("layout"))
        try FileManager.default.createDirectory(atPath: layout.root + "/" + OCILayout.ingestDirectory, withIntermediateDirectories: true)
        // A pid that is not running: a process started and waited for.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let stale = layout.root + "/" + OCILayout.ingestDirectory + "/" + String(repeating: "a", count: 64) + ".\(gone.processIdentifier).x1"
        let live = layout.root + "/" + OCILayout.ingestDirectory + "/" + String(repeating: "b", count: 64) + ".\(getpid()).x2"
        try Data(count: 1 << 20).write(to: URL(fileURLWithPath: stale))
        try Data(count: 10).write(to: URL(fileURLWithPath: live))
        let found = try await layout.verifyAll(repair: false)
        #expect(found.problems.map(\.path) == [stale])
        #expect(layout.removeStaleLeftovers().map(\.path) == [stale])
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: live))
    }

    @Test("index.json is replaced whole: no temporary files stay, and a second process's entry is kept")
    func indexUpdates() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let layout = try OCILayout(creatingAt: work.file("layout"))
        let image = try ImageFactory.makeImage(in: layout)
        // Another process's update arrives between this process's reads: the lock
        // makes each read-modify-write see the other's result.
        await withTaskGroup(of: Void.self) { group in
            for number in 0..<20 {
                group.addTask {
                    let other = try? OCILayout(openingAt: work.file("layout"))
                    try? await other?.addReference(image.manifest, name: "n\(number)")
                }
            }
        }
        #expect(try await layout.references().count == 20)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: layout.root).filter { $0.hasPrefix("index.json.") }
        #expect(leftovers.isEmpty)
    }

    @Test("kill -9 in the middle of a pull, then pull again: completes, and the killed pull's ingest files are gone")
    func killedPull() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let source = try OCILayout(creatingAt: work.file("source"))
        let image = try ImageFactory.makeImage(in: source, layerSizes: [300_000, 200_000])
        var blobs: [String: [UInt8]] = [:]
        for descriptor in image.layers + [image.config, image.manifest] {
            blobs[descriptor.digest.description] = try source.readBlob(descriptor.digest, maximumSize: 1 << 20)
        }
        let manifest = image.manifest
        let served = blobs
        // Blob requests are held (up to 8 s) so the first pull is surely mid-download when killed.
        let gate = RequestGate(count: 99, timeout: .seconds(8)) { $0.path.contains("/blobs/") }
        try await withTestServer(gate: gate, { request in
            if request.path == "/v2/" { return TestHTTPServer.Response(status: 200) }
            if request.path.hasSuffix("/manifests/v1") || request.path.hasSuffix("/manifests/\(manifest.digest)") {
                return TestHTTPServer.Response(status: 200, headers: [("Content-Type", MediaType.ociManifest), ("Docker-Content-Digest", manifest.digest.description)],
                                               body: served[manifest.digest.description] ?? [])
            }
            if let digest = request.path.split(separator: "/").last, let bytes = served[String(digest)] {
                return TestHTTPServer.Response(status: 200, body: bytes)
            }
            return .json(404, #"{"errors":[{"code":"BLOB_UNKNOWN","message":"unknown"}]}"#)
        }) { server in
            let config = work.file("registries.yaml")
            try "mirrors:\n  \"\(server.host)\":\n    endpoint:\n      - \"http://\(server.host)\"\n".write(toFile: config, atomically: true, encoding: .utf8)
            let layout = work.file("layout")
            let arguments = ["pull", "\(server.host)/killed/app:v1", "--config", config, "--output", layout, "--quiet"]
            let first = try HawserBinary.start(arguments, log: work.file("first.log"))
            let ingest = layout + "/" + OCILayout.ingestDirectory
            var seen: [String] = []
            // Bounded: 15 s for the first pull to start a blob (a loaded CI machine is slow to start a process).
            for _ in 0..<1500 where seen.isEmpty {
                try await Task.sleep(for: .milliseconds(10))
                seen = (try? FileManager.default.contentsOfDirectory(atPath: ingest)) ?? []
            }
            #expect(!seen.isEmpty, "the first pull never started a blob")
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            #expect(first.terminationReason == .uncaughtSignal)
            #expect(!((try? FileManager.default.contentsOfDirectory(atPath: ingest)) ?? []).isEmpty, "a kill -9 leaves its ingest files")

            let second = try await HawserBinary.run(arguments, log: work.file("second.log"))
            #expect(second.status == 0, "\(second.output)")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: ingest)) ?? []).isEmpty)
            let verify = try await HawserBinary.run(["layout", "verify", layout], log: work.file("verify.log"))
            #expect(verify.status == 0, "\(verify.output)")
        }
    }

    @Test("kill -9 mid-blob, then pull again: the partial file is continued with Range (fewer bytes than the image), no leftovers")
    func resumesAfterKill() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let source = try OCILayout(creatingAt: work.file("source"))
        let image = try ImageFactory.makeImage(in: source, layerSizes: [4 << 20])
        let layer = try #require(image.layers.first)
        var blobs: [String: [UInt8]] = [:]
        for descriptor in [layer, image.config, image.manifest] {
            blobs[descriptor.digest.description] = try source.readBlob(descriptor.digest, maximumSize: 8 << 20)
        }
        let manifest = image.manifest
        let served = blobs
        let layerRequests = Mutex(0)
        let bytesAfterKill = Mutex(0)
        try await withTestServer({ request in
            if request.path == "/v2/" { return TestHTTPServer.Response(status: 200) }
            if request.method == "HEAD" { return TestHTTPServer.Response(status: 405) }
            if request.path.contains("/manifests/") {
                return TestHTTPServer.Response(status: 200, headers: [("Content-Type", MediaType.ociManifest)], body: served[manifest.digest.description] ?? [])
            }
            guard let digest = request.path.split(separator: "/").last, let bytes = served[String(digest)] else {
                return TestHTTPServer.Response(status: 404)
            }
            guard String(digest) == layer.digest.description else { return TestHTTPServer.Response(status: 200, body: bytes) }
            let number = layerRequests.withLock { $0 += 1; return $0 }
            if number == 1 {
                // The first pull gets half of the layer, then the transfer hangs until it is killed.
                var response = TestHTTPServer.Response(status: 200, body: bytes)
                response.hangAfter = bytes.count / 2
                return response
            }
            var start = 0
            if let range = request.header("Range"), let first = range.dropFirst(6).split(separator: "-").first.flatMap({ Int($0) }) { start = first }
            let body = Array(bytes[start...])
            bytesAfterKill.withLock { $0 += body.count }
            return start > 0
                ? TestHTTPServer.Response(status: 206, headers: [("Content-Range", "bytes \(start)-\(bytes.count - 1)/\(bytes.count)")], body: body)
                : TestHTTPServer.Response(status: 200, body: body)
        }) { server in
            let config = work.file("registries.yaml")
            try "mirrors:\n  \"\(server.host)\":\n    endpoint:\n      - \"http://\(server.host)\"\n".write(toFile: config, atomically: true, encoding: .utf8)
            let layout = work.file("layout")
            let arguments = ["pull", "\(server.host)/resumed/app:v1", "--config", config, "--output", layout, "--quiet"]
            let first = try HawserBinary.start(arguments, log: work.file("first.log"))
            let ingest = layout + "/" + OCILayout.ingestDirectory
            var partial: Int64 = 0
            for _ in 0..<3000 where partial < Int64(layer.size / 4) {
                try await Task.sleep(for: .milliseconds(10))
                let names = (try? FileManager.default.contentsOfDirectory(atPath: ingest)) ?? []
                partial = names.filter { $0.hasPrefix(layer.digest.encoded) }.compactMap {
                    (try? FileManager.default.attributesOfItem(atPath: ingest + "/" + $0)[.size] as? NSNumber)?.int64Value
                }.max() ?? 0
            }
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            #expect(partial >= Int64(layer.size / 4), "the first pull never got far into the layer")

            let second = try await HawserBinary.run(arguments, log: work.file("second.log"))
            #expect(second.status == 0, "\(second.output)")
            let transferred = bytesAfterKill.withLock { $0 }
            print("hawser resume: after kill -9 at \(partial) bytes, the second pull downloaded \(transferred) of the layer's \(layer.size) bytes")
            #expect(transferred < Int(layer.size), "resumed: \(transferred) of \(layer.size) layer bytes downloaded again")
            #expect(transferred > 0)
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: ingest)) ?? []).isEmpty)
            let verify = try await HawserBinary.run(["layout", "verify", layout], log: work.file("verify.log"))
            #expect(verify.status == 0, "\(verify.output)")
        }
    }
}
