import Foundation
import HawserTestSupport
import Testing

/// `hawser serve` as containerd's mirror (issue 14): Debian's containerd pulls an
/// image through it with a hosts.toml, exactly as a K3s node would. The image's
/// registry has no host of its own here (its server is a closed loopback port),
/// so the pull can only succeed through the mirror, which reaches the real
/// registry by the name containerd sends in `?ns=`.
@Suite("serve: containerd pulls through the mirror")
struct ServeThroughContainerdTests {
    @Test("ctr images pull --hosts-dir through hawser serve, upstream chosen by ns", .timeLimit(.minutes(2)))
    func ctrPullsThroughMirror() async throws {
        let binaries = try ContainerdBinaries.fromEnvironment()
        let work = try TemporaryDirectory("hawser-serve-ctr")
        defer { work.remove() }
        // The tiny image as an OCI layout, copied to a real registry by skopeo.
        let image = TinyImage.shared
        let layout = try work.subdirectory("layout")
        try FileManager.default.createDirectory(atPath: layout + "/blobs/sha256", withIntermediateDirectories: true)
        for blob in [image.manifest, image.config, image.layer] {
            try Data(blob.bytes).write(to: URL(fileURLWithPath: layout + "/blobs/sha256/" + blob.digest.dropFirst(7)))
        }
        try #"{"imageLayoutVersion":"1.0.0"}"#.write(toFile: layout + "/oci-layout", atomically: true, encoding: .utf8)
        let index = """
        {"schemaVersion":2,"manifests":[{"mediaType":"\(image.manifest.mediaType)","digest":"\(image.manifest.digest)",\
        "size":\(image.manifest.bytes.count),"annotations":{"org.opencontainers.image.ref.name":"tiny"}}]}
        """
        try index.write(toFile: layout + "/index.json", atomically: true, encoding: .utf8)
        try await withRegistry { registry in
            let skopeo = try Tools.require("/usr/bin/skopeo", package: "skopeo")
            try Tools.run(skopeo, ["copy", "--dest-tls-verify=false", "oci:\(layout):tiny", "docker://\(registry.host)/team/tiny:v1"])

            // The mirror knows registry-tiny.test as that registry.
            let mirrorConfig = "mirrors:\n  \"registry-tiny.test\":\n    endpoint:\n      - \"http://\(registry.host)\"\n"
            try mirrorConfig.write(toFile: work.file("mirror.yaml"), atomically: true, encoding: .utf8)
            let port = try FreePort.next()
            let serve = try HawserExecutable.launch(["serve", "--store", work.file("store"), "--listen", "127.0.0.1:\(port)",
                                                     "--config", work.file("mirror.yaml"), "--disable-default-endpoint"], log: work.file("serve.log"))
            defer {
                if serve.isRunning { kill(serve.processIdentifier, SIGKILL) }
                serve.waitUntilExit()
            }
            for _ in 0..<300 where !FreePort.isListening(port) && serve.isRunning { try await Task.sleep(for: .milliseconds(50)) }

            // The node's side: the mirror first, the registry's own server a closed port.
            let hosts = try work.subdirectory("certs.d")
            try FileManager.default.createDirectory(atPath: hosts + "/registry-tiny.test", withIntermediateDirectories: true)
            let closed = try FreePort.next()
            let toml = """
            server = "http://127.0.0.1:\(closed)"

            [host."http://127.0.0.1:\(port)"]
              capabilities = ["pull", "resolve"]

            """
            try toml.write(toFile: hosts + "/registry-tiny.test/hosts.toml", atomically: true, encoding: .utf8)

            let daemon = try await ContainerdDaemon.start(binaries)
            defer { daemon.stop() }
            let pulled = try await daemon.pull(image: "registry-tiny.test/team/tiny:v1", hostsDir: hosts, namespace: "serve")
            let mirrorLog = (try? String(contentsOfFile: work.file("serve.log"), encoding: .utf8)) ?? ""
            #expect(pulled.status == 0, "ctr: \(pulled.stdout)\(pulled.stderr)\nmirror: \(mirrorLog)")
            // containerd sent ns= on every request, and the mirror served the layer.
            #expect(mirrorLog.contains("ns=registry-tiny.test"))
            #expect(mirrorLog.contains("/v2/team/tiny/blobs/\(image.layer.digest)?ns=registry-tiny.test status=200"))
            #expect(FileManager.default.fileExists(atPath: work.file("store") + "/blobs/sha256/" + image.layer.digest.dropFirst(7)))
        }
    }
}
