import Foundation
import HawserCore
@testable import HawserRegistry
import Testing
import HawserTestSupport

@Suite("OCI layout store")
struct StoreTests {
    @Test("a verified blob is stored under its digest; the layout has oci-layout and index.json")
    func storesVerifiedBlob() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let layout = try OCILayout(creatingAt: directory.path)
        let bytes = ImageFactory.randomBytes(3 << 20)
        let descriptor = try ImageFactory.descriptor(of: bytes, mediaType: MediaType.ociLayerGzip)
        let ingest = try layout.makeIngest(for: descriptor)
        // Several writes, as chunks arrive from the network.
        for start in stride(from: 0, to: bytes.count, by: 100_000) {
            try ingest.write(Array(bytes[start..<min(start + 100_000, bytes.count)]))
        }
        try ingest.commit()
        #expect(layout.contains(descriptor))
        #expect(FileManager.default.contents(atPath: layout.blobPath(descriptor.digest)) == Data(bytes))
        #expect(FileManager.default.fileExists(atPath: directory.file("oci-layout")))
        let index = try String(contentsOfFile: directory.file("index.json"), encoding: .utf8)
        #expect(index.contains("\"schemaVersion\":2"))
    }

    @Test("bytes that do not match the digest are refused and nothing is left behind")
    func refusesDigestMismatch() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let layout = try OCILayout(creatingAt: directory.path)
        let claimed = try ImageFactory.descriptor(of: ImageFactory.randomBytes(1000), mediaType: MediaType.ociLayerGzip)
        let ingest = try layout.makeIngest(for: claimed)
        try ingest.write(ImageFactory.randomBytes(1000))
        #expect {
            try ingest.commit()
        } throws: { error in
            (error as? ContentError)?.code == .digestMismatch
        }
        #expect(!layout.contains(claimed))
        #expect(!FileManager.default.fileExists(atPath: layout.blobPath(claimed.digest)))
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: directory.file(OCILayout.ingestDirectory))) ?? []
        #expect(leftovers.isEmpty)
    }

    @Test("more bytes than the descriptor states are refused while streaming; fewer at commit")
    func refusesWrongSize() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let layout = try OCILayout(creatingAt: directory.path)
        let bytes = ImageFactory.randomBytes(500)
        var short = try ImageFactory.descriptor(of: bytes, mediaType: MediaType.ociLayerGzip)
        short.size = 400
        let tooMany = try layout.makeIngest(for: short)
        #expect(throws: ContentError.self) { try tooMany.write(bytes) }
        tooMany.abort()
        var long = short
        long.size = 600
        let tooFew = try layout.makeIngest(for: long)
        try tooFew.write(bytes)
        #expect { try tooFew.commit() } throws: { ($0 as? ContentError)?.code == .sizeMismatch }
        #expect(!FileManager.default.fileExists(atPath: layout.blobPath(short.digest)))
    }

    @Test("several images share one layout; a name is replaced, other names stay")
    func sharesLayout() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let layout = try OCILayout(creatingAt: directory.path)
        let first = try await ImageFactory.makeNamedImage(in: layout, name: "one")
        let second = try await ImageFactory.makeNamedImage(in: layout, name: "two")
        let replacement = try await ImageFactory.makeNamedImage(in: layout, name: "one")
        let names = try await layout.references().compactMap(\.refName).sorted()
        #expect(names == ["one", "two"])
        #expect(try await layout.descriptor(named: "one").digest == replacement.manifest.digest)
        #expect(try await layout.descriptor(named: "two").digest == second.manifest.digest)
        // The replaced image's blobs stay (other images may share them).
        #expect(layout.contains(first.config))
        // Reopening sees the same index.
        let reopened = try OCILayout(openingAt: directory.path)
        #expect(try await reopened.references().count == 2)
    }

    @Test("concurrent updates of index.json lose nothing")
    func concurrentIndexUpdates() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let layout = try OCILayout(creatingAt: directory.path)
        let image = try ImageFactory.makeImage(in: layout)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<20 {
                group.addTask { try await layout.addReference(image.manifest, name: "tag\(number)") }
            }
            try await group.waitForAll()
        }
        #expect(try await layout.references().count == 20)
    }

    @Test("opening a directory that is not a layout fails with a coded error")
    func notALayout() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect { try OCILayout(openingAt: directory.path) } throws: { ($0 as? StoreError)?.code == .notALayout }
    }
}
