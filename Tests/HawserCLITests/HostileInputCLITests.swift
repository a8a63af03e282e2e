import Foundation
import Testing

/// The command line on hostile files and outputs (issue 10, rows 2, 3, 9, 12):
/// an error that says where and what to do, never a crash, never lost files.
@Suite("hawser command line: hostile input and outputs")
struct HostileInputCLITests {
    @Test("a registries.yaml nested 30,000 deep: check, resolve, render all say config.too-deep (before: SIGSEGV)")
    func deepYAML() throws {
        let config = try HawserProcess.fixture("nested-30000.yaml")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("hawser-render-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        for arguments in [["check", config], ["resolve", "nginx", "--config", config], ["render", config, "--out", out]] {
            let result = try HawserProcess.run(arguments)
            #expect(!result.crashed, "\(arguments[0]) crashed")
            #expect(result.status != 0)
            #expect((result.stdout + result.stderr).contains("config.too-deep"), "\(arguments[0]): \(result.stdout) \(result.stderr)")
            #expect((result.stdout + result.stderr).contains("nested-30000.yaml:3:"))
        }
    }

    @Test("a hosts.toml of `[[` or `` [`a] ``: resolve --hosts-dir does not abort (before: SIGABRT in toml++)", arguments: [
        "docker.io/library/nginx", "quay.io/app",
    ])
    func hostileTOML(image: String) throws {
        let result = try HawserProcess.run(["resolve", image, "--hosts-dir", try HawserProcess.fixture("hostile-certs.d")])
        #expect(!result.crashed)
        #expect((result.stdout + result.stderr).contains("hosts.toml"), "\(result.stdout) \(result.stderr)")
    }

    @Test("pull --output that is a file: a clear error, no Foundation error number (before: NSCocoaErrorDomain error 512)")
    func outputIsAFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hawser-output-\(UUID().uuidString)").path
        try "not a folder".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        for output in [file, file + "/sub"] {
            let result = try HawserProcess.run(["pull", "127.0.0.1:1/app:v1", "--output", output])
            #expect(result.status != 0)
            #expect(!result.crashed)
            #expect(!result.stderr.contains("NSCocoaErrorDomain"), "\(result.stderr)")
            #expect(result.stderr.contains("is a file"), "\(result.stderr)")
            #expect(result.stderr.contains("store.not-a-directory"))
        }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "not a folder")
    }

    @Test("render --out refuses a folder holding other files, keeps them; --force replaces it (before: the files were deleted)")
    func renderRefusesForeignFolder() throws {
        let config = try HawserProcess.fixture("docker-io-mirror.yaml")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hawser-out-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/docker.io", withIntermediateDirectories: true)
        try "mine".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let refused = try HawserProcess.run(["render", config, "--out", folder])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("render.not-certs-d"), "\(refused.stderr)")
        #expect(refused.stderr.contains("notes.txt"))
        #expect(refused.stderr.contains("--force"))
        #expect(try String(contentsOfFile: folder + "/notes.txt", encoding: .utf8) == "mine")

        let forced = try HawserProcess.run(["render", config, "--out", folder, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/notes.txt"))
        #expect(FileManager.default.fileExists(atPath: folder + "/docker.io/hosts.toml"))

        // A certs.d tree it wrote itself is replaced without --force.
        let again = try HawserProcess.run(["render", config, "--out", folder])
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test("layout verify: exit 2 for what is not a layout, 0 for an empty layout, 1 for a corrupt blob, 0 after --repair")
    func layoutVerify() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hawser-verify-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/blobs/sha256", withIntermediateDirectories: true)
        let notALayout = try HawserProcess.run(["layout", "verify", folder])
        #expect(notALayout.status == 2)
        #expect(notALayout.stderr.contains("store.not-a-layout"))

        try #"{"imageLayoutVersion":"1.0.0"}"#.write(toFile: folder + "/oci-layout", atomically: true, encoding: .utf8)
        try #"{"schemaVersion":2,"manifests":[]}"#.write(toFile: folder + "/index.json", atomically: true, encoding: .utf8)
        let clean = try HawserProcess.run(["layout", "verify", folder])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.contains("clean"))

        // A blob named by the digest of "a", holding "b".
        let name = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
        try "b".write(toFile: folder + "/blobs/sha256/" + name, atomically: true, encoding: .utf8)
        let corrupt = try HawserProcess.run(["layout", "verify", folder])
        #expect(corrupt.status == 1)
        #expect(corrupt.stdout.contains("corrupt-blob"))
        let repaired = try HawserProcess.run(["layout", "verify", folder, "--repair"])
        #expect(repaired.status == 0, "\(repaired.stdout)\(repaired.stderr)")
        #expect(repaired.stdout.contains("(removed)"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/blobs/sha256/" + name))
    }
}
