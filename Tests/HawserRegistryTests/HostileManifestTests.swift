import Foundation
import HawserCore
import HawserDoctor
@testable import HawserRegistry
import HawserTestSupport
import Testing

/// A registry that serves hostile manifests (issue 10, rows 1, 10 and 13):
/// `pull` refuses each with a clear error, and `doctor` says exactly the same
/// (not "can be pulled"). Before the fix, doctor said RC000 for the 50 MiB and
/// the deeply nested manifest; sizes past Int64.max trapped in the progress
/// display; an index inside an index read "no manifest for linux/amd64
/// (available: linux/amd64)".
@Suite("hostile manifests: pull and doctor agree")
struct HostileManifestTests {
    static let platform = Platform(os: "linux", architecture: "amd64")
    static let layerDigest = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let top: [UInt8]
        let mediaType: String
        var children: [String: [UInt8]] = [:]
        /// Text the pull's error and the doctor's failure both contain.
        let says: String
        var testDescription: String { name }
    }

    static func manifest(layers: [Int64], padding: Int = 0, annotations: String = "{}") -> [UInt8] {
        // Distinct digests: each layer is its own blob (and its own line in the progress display).
        let entries = layers.enumerated().map { offset, size in
            let layer = digest(Array("layer \(offset)".utf8))
            return #"{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#(layer)","size":\#(size)}"#
        }
        let text = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(layerDigest)","size":2},"layers":[\#(entries.joined(separator: ","))],"annotations":\#(annotations)}"#
        return Array(text.utf8) + [UInt8](repeating: 0x20, count: padding)
    }

    static func digest(_ bytes: [UInt8]) -> String {
        (try? ImageFactory.descriptor(of: bytes, mediaType: ""))?.digest.description ?? ""
    }

    static func index(child: [UInt8], childType: String) -> [UInt8] {
        Array(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"\#(childType)","digest":"\#(digest(child))","size":\#(child.count),"platform":{"os":"linux","architecture":"amd64"}}]}"#.utf8)
    }

    static var cases: [Case] {
        let leaf = manifest(layers: [10])
        let innerIndex = index(child: leaf, childType: MediaType.ociManifest)
        return [
            Case(name: "50 MiB manifest", top: manifest(layers: [10], padding: 50 << 20), mediaType: MediaType.ociManifest,
                 says: "larger than 4194304 bytes"),
            Case(name: "nested 100,000 deep", top: manifest(layers: [10], annotations: String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)),
                 mediaType: MediaType.ociManifest, says: "content.manifest-invalid"),
            // Foundation's JSON decoder traps when its 512-level limit is reached at the
            // very end of the input (found by the fuzzer): 540 bytes that killed pull and doctor.
            Case(name: "nested to Foundation's limit at the end", top: Array(#"{"schemaVersion":2,"layers":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: 512),
                 mediaType: MediaType.ociManifest, says: "more than 128 levels"),
            Case(name: "not JSON", top: Array(#"{"schemaVersion":2,"layers":["#.utf8), mediaType: MediaType.ociManifest, says: "not valid JSON"),
            Case(name: "unknown media type", top: Array(#"{"schemaVersion":2,"mediaType":"application/x-unknown"}"#.utf8),
                 mediaType: "application/x-unknown", says: "unsupported manifest media type"),
            Case(name: "sizes past Int64.max", top: manifest(layers: [Int64.max, Int64.max]), mediaType: MediaType.ociManifest,
                 says: "content.size-invalid"),
            Case(name: "negative size", top: manifest(layers: [-5]), mediaType: MediaType.ociManifest, says: "negative size"),
            Case(name: "index entry typed as an index", top: index(child: innerIndex, childType: MediaType.ociIndex), mediaType: MediaType.ociIndex,
                 children: [digest(innerIndex): innerIndex], says: "is itself an index"),
            Case(name: "index entry typed as a manifest that is an index", top: index(child: innerIndex, childType: MediaType.ociManifest),
                 mediaType: MediaType.ociIndex, children: [digest(innerIndex): innerIndex], says: "is itself an index"),
        ]
    }

    /// A registry with one image, `app:v1`, whatever its bytes.
    static func handler(_ testCase: Case) -> TestHTTPServer.Handler {
        let topDigest = digest(testCase.top)
        return { request in
            if request.path == "/v2/" { return TestHTTPServer.Response(status: 200) }
            if request.path.hasSuffix("/manifests/v1") || request.path.hasSuffix("/manifests/\(topDigest)") {
                return TestHTTPServer.Response(status: 200, headers: [("Content-Type", testCase.mediaType), ("Docker-Content-Digest", topDigest)],
                                               body: testCase.top)
            }
            for (digest, bytes) in testCase.children where request.path.hasSuffix("/manifests/\(digest)") {
                return TestHTTPServer.Response(status: 200, headers: [("Content-Type", MediaType.ociIndex), ("Docker-Content-Digest", digest)], body: bytes)
            }
            return .json(404, #"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"unknown"}]}"#)
        }
    }

    @Test("pull refuses, doctor says it cannot be pulled, both for the same reason", arguments: cases)
    func agree(_ testCase: Case) async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withTestServer(Self.handler(testCase)) { server in
            let yaml = "mirrors:\n  hostile.test:\n    endpoint:\n      - \"http://\(server.host)\"\n"
            let loaded = try RegistriesConfig.parse(yaml, file: "registries.yaml")
            let options = RenderOptions(disableDefaultEndpoint: true)
            let configuration = HostsConfiguration.fromRegistries(loaded.config, path: "registries.yaml", options: options)
            let image = try ImageReference(parsing: "hostile.test/app:v1")

            let report = try await Doctor(configuration: configuration, options: options, timeout: .seconds(5), platform: Self.platform).diagnose(image)
            #expect(!report.pullable, "doctor said \(report.rootCause.code) for \(testCase.name)")
            let failure = try #require(report.attempts.first?.failure)
            #expect("\(failure.message) \(report.attempts.first?.checks.map(\.evidence) ?? [])".contains(testCase.says), "\(failure.message)")

            let plan = try configuration.plan(for: image)
            let layout = try OCILayout(creatingAt: work.file("layout"))
            try await withPool { pool in
                do {
                    _ = try await ImagePuller(plan: plan, credentials: noCredentials, layout: layout, pool: pool,
                                              options: PullOptions(platform: Self.platform)).pull()
                    Issue.record("the pull of \(testCase.name) should fail")
                } catch {
                    #expect("\(error)".contains(testCase.says), "\(error)")
                    #expect(!"\(error)".contains("available: linux/amd64"))
                }
            }
            #expect(try await layout.references().isEmpty)
        }
    }

    @Test("sizes past Int64.max, pulled on a terminal: a clear error, no trap in the progress display (before: exit 132)")
    func overflowOnTerminal() async throws {
        let script = "/usr/bin/script"
        try #require(FileManager.default.isExecutableFile(atPath: script), "util-linux's script gives the pull a terminal")
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let overflow = try #require(Self.cases.first { $0.name == "sizes past Int64.max" })
        try await withTestServer(Self.handler(overflow)) { server in
            let config = work.file("registries.yaml")
            try "mirrors:\n  hostile.test:\n    endpoint:\n      - \"http://\(server.host)\"\n".write(toFile: config, atomically: true, encoding: .utf8)
            let command = [try HawserBinary.url.path, "pull", "hostile.test/app:v1", "--config", config, "--disable-default-endpoint",
                           "--output", work.file("layout")].joined(separator: " ")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: script)
            process.arguments = ["-qefc", command, "/dev/null"]
            let log = work.file("tty.log")
            FileManager.default.createFile(atPath: log, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let result = try await HawserBinary.wait(process, log: log, timeout: .seconds(60))
            #expect(result.status == 1, "\(result.output)")
            #expect(result.output.contains("content.size-invalid"), "\(result.output)")
            #expect(!result.output.contains("overflow"), "\(result.output)")
        }
    }
}
