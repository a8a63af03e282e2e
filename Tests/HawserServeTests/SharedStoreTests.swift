import Foundation
import HawserCore
@testable import HawserRegistry
import HawserTestSupport
import Testing

/// A store shared by replicas on several machines: a pid in an ingest file's name
/// says nothing about a process on another machine, so another machine's files
/// are neither removed as leftovers nor taken over as partial blobs.
@Suite("serve: a store shared across machines")
struct SharedStoreTests {
    @Test("ingest files carry the host; another host's are left alone, this host's dead writers' are cleaned")
    func hostScopedIngests() throws {
        let work = try TemporaryDirectory("hawser-shared")
        defer { work.remove() }
        let layout = try OCILayout(creatingAt: work.file("store")).sharedAcrossHosts()
        let hex = String(repeating: "d", count: 64)
        let ingest = work.file("store/\(OCILayout.ingestDirectory)")
        try FileManager.default.createDirectory(atPath: ingest, withIntermediateDirectories: true)
        // A pid that runs nowhere here: above the kernel's pid_max default.
        let gone: Int32 = 4_194_304 + 17
        let foreign = "\(ingest)/\(hex).\(gone).abc.other-machine"
        let local = "\(ingest)/\(hex).\(gone).def.\(OCILayout.hostTag)"
        for path in [foreign, local] { #expect(FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3]))) }
        let stale = Set(layout.staleLeftovers().map(\.path))
        #expect(stale.contains(local))
        #expect(!stale.contains(foreign))
        #expect(OCILayout.localWriter(of: "\(hex).\(gone).abc.other-machine") == nil)
        #expect(OCILayout.localWriter(of: "\(hex).\(gone).abc") == gone)
        // A new ingest here is named with this host.
        let created = try layout.makeIngest(for: Descriptor(mediaType: "", digest: try Digest(parsing: "sha256:" + hex), size: 3))
        #expect(created.spoolPath.hasSuffix(".\(OCILayout.hostTag)"))
        created.abort()
        #expect(FileManager.default.fileExists(atPath: foreign))
    }
}
