import HawserCore
@testable import HawserRegistry
import Testing

/// What the progress display shows, event by event (no terminal, no clock).
@Suite("progress model")
struct TransferProgressTests {
    static var image: ImageReference { get throws { try ImageReference(parsing: "docker.io/library/app:1") } }

    static func blob(_ byte: Character, _ size: Int64) throws -> Descriptor {
        Descriptor(mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
                   digest: try Digest(parsing: "sha256:" + String(repeating: byte, count: 64)), size: size)
    }

    @Test("the total is the whole image from the manifest on, not the blobs started so far")
    func totalFromManifest() throws {
        var progress = TransferProgress(verb: "pull", image: try Self.image.description)
        let layers = [try Self.blob("a", 10 << 20), try Self.blob("b", 20 << 20), try Self.blob("c", 10 << 20)]
        progress.apply(.blobsPlanned(layers))
        progress.apply(.blobStarted(layers[0]))
        progress.apply(.blobProgress(layers[0].digest, bytes: 5 << 20))
        let lines = progress.lines(elapsed: 1)
        #expect(lines.last?.hasPrefix("pull: 5.0 MiB / 40.0 MiB  5.0 MiB/s  7 s left") == true, "\(lines)")
        #expect(lines.count == 2, "one line for the blob moving, one total: \(lines)")
    }

    @Test("blobs already there count as done but not in the rate")
    func skipped() throws {
        var progress = TransferProgress(verb: "push", image: try Self.image.description)
        let layers = [try Self.blob("a", 1024), try Self.blob("b", 1024)]
        progress.apply(.blobsPlanned(layers))
        progress.apply(.blobSkipped(layers[0]))
        #expect(progress.lines(elapsed: 2).last == "push: 1.0 KiB / 2.0 KiB  0 B/s  (1 already there)")
    }

    @Test("each host tried is a line that stays, and a failure says why and that the next is tried")
    func attempts() throws {
        let image = try Self.image
        var progress = TransferProgress(verb: "pull", image: image.description)
        let first = PlanFactory.attempt(1, "http://127.0.0.1:1", repository: "library/app", namespace: "docker.io", of: 2)
        progress.apply(.attemptStarted(first, url: first.manifestURL(for: image)))
        progress.apply(.attemptFinished(AttemptReport(attempt: first, url: "u", outcome: .failed(RegistryError(.transport, reason: "connection refused")))))
        let messages = progress.takeMessages()
        #expect(messages == ["Pulling docker.io/library/app:1 from http://127.0.0.1:1/v2 (mirror endpoint 1 of 2, plain HTTP)",
                             "  http://127.0.0.1:1/v2 failed: connection refused; trying the next host"])
        #expect(progress.takeMessages().isEmpty, "printed once")
        #expect(progress.lines(elapsed: 0) == ["pull: resolving docker.io/library/app:1"])
    }
}
