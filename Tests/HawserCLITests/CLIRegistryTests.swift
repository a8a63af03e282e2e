import Foundation
import HawserTestSupport
import Testing

/// `hawser push`, `pull` and `doctor` as a user runs them, against the real
/// docker-registry, checked against what skopeo reads and against a layout the
/// test wrote itself: digests, index.json, exit statuses, the JSON summaries
/// field by field (docs/json.md).
@Suite("hawser push, pull and doctor against docker-registry")
struct CLIRegistryTests {
    static func skopeo(_ arguments: [String]) throws -> [String: Any] {
        let text = try Tools.run(try Tools.require(Tools.skopeo, package: "skopeo"), arguments)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "skopeo said: \(text)")
    }

    static func json(_ result: HawserProcess.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                     "not JSON (exit \(result.status)):\n\(result.stdout)\n\(result.stderr)")
    }

    /// `mirrors."127.0.0.1:PORT".endpoint: [http://127.0.0.1:PORT]`. The endpoint is
    /// the registry's own default, so K3s folds it into the server line, and the file
    /// then restates containerd's defaults: K3s writes none. containerd's default for
    /// a loopback registry on a port is HTTPS first (unverified), then plain HTTP.
    static func writeConfig(for registry: RegistryServer, https: Bool = false, in work: TemporaryDirectory) throws -> String {
        let path = work.file(https ? "registries-https.yaml" : "registries.yaml")
        try """
        mirrors:
          "\(registry.host)":
            endpoint:
              - \(https ? "https" : "http")://\(registry.host)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The README's main job: docker.io mirrored to a plain-HTTP registry.
    static func writeMirrorConfig(for registry: RegistryServer, in work: TemporaryDirectory) throws -> String {
        let path = work.file("docker-io-mirror.yaml")
        try "mirrors:\n  docker.io:\n    endpoint:\n      - \"http://\(registry.host)\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// containerd's loopback default: HTTPS first, and this registry speaks plain HTTP.
    static func attempt(_ registry: RegistryServer, _ url: String, outcome: String = "served") -> [String: String] {
        var entry = ["position": "1", "url": url, "endpoint": "http://\(registry.host)/v2", "transport": "https-then-http", "outcome": outcome]
        if outcome == "served" { entry["servedOver"] = "plain HTTP after the HTTPS attempt" }
        return entry
    }

    /// The attempts of a summary, as strings, the error left out.
    static func attempts(_ document: [String: Any]) -> [[String: String]] {
        ((document["attempts"] as? [[String: Any]]) ?? []).map { entry in
            entry.filter { $0.key != "error" }.mapValues { "\($0)" }
        }
    }

    @Test("push, pull, pull again, doctor: exit 0, the digests skopeo reads, index.json, the JSON summaries")
    func pushPullDoctor() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let image = try HandWrittenLayout.write(at: work.file("source"), name: "v1", layerSizes: [3000, 40_000])
        try await withRegistry { registry in
            let config = try Self.writeConfig(for: registry, in: work)
            let reference = "\(registry.host)/e2e/app:v1"
            let manifestURL = "http://\(registry.host)/v2/e2e/app/manifests/v1"

            // push
            let push = try HawserProcess.run(["push", "\(image.path):v1", reference, "--config", config, "--json"])
            #expect(push.status == 0, "\(push.stderr)")
            let pushed = try Self.json(push)
            #expect(Set(pushed.keys) == ["schema", "image", "digest", "mediaType", "size", "transferredBytes", "skippedBlobs", "attempts"])
            #expect(pushed["schema"] as? String == "hawser.push/v1")
            #expect(pushed["image"] as? String == reference)
            #expect(pushed["digest"] as? String == image.manifest.digest)
            #expect(pushed["mediaType"] as? String == HandWrittenLayout.manifestType)
            #expect(pushed["size"] as? Int == image.totalSize)
            // transferredBytes counts blobs (config and layers), not the manifest.
            #expect(pushed["transferredBytes"] as? Int == image.totalSize - image.manifest.size)
            #expect(pushed["skippedBlobs"] as? Int == 0)
            #expect(Self.attempts(pushed) == [Self.attempt(registry, manifestURL)])

            // What the registry holds, as skopeo (containers/image) reads it.
            let remote = try Self.skopeo(["inspect", "--tls-verify=false", "docker://\(reference)"])
            #expect(remote["Digest"] as? String == image.manifest.digest)
            #expect(remote["Layers"] as? [String] == image.layers.map(\.digest))

            // push again: every blob is already there
            let again = try Self.json(try HawserProcess.run(["push", "\(image.path):v1", reference, "--config", config, "--json"]))
            #expect(again["digest"] as? String == image.manifest.digest)
            #expect(again["skippedBlobs"] as? Int == image.layers.count + 1)
            #expect(again["transferredBytes"] as? Int == 0)

            // pull docker.io/e2e/app:v1 through the mirror; Docker Hub (last) is never tried
            let mirrorConfig = try Self.writeMirrorConfig(for: registry, in: work)
            let hubReference = "docker.io/e2e/app:v1"
            let output = work.file("pulled")
            let pull = try HawserProcess.run(["pull", hubReference, "--config", mirrorConfig, "--output", output, "--json"])
            #expect(pull.status == 0, "\(pull.stderr)")
            let pulled = try Self.json(pull)
            #expect(Set(pulled.keys) == ["schema", "image", "digest", "mediaType", "size", "layout", "name", "transferredBytes", "skippedBlobs", "attempts"])
            #expect(pulled["schema"] as? String == "hawser.pull/v1")
            #expect(pulled["image"] as? String == hubReference)
            #expect(pulled["digest"] as? String == image.manifest.digest)
            #expect(pulled["mediaType"] as? String == HandWrittenLayout.manifestType)
            #expect(pulled["size"] as? Int == image.totalSize)
            #expect(pulled["layout"] as? String == output)
            #expect(pulled["name"] as? String == "v1")
            #expect(pulled["transferredBytes"] as? Int == image.totalSize - image.manifest.size)
            #expect(pulled["skippedBlobs"] as? Int == 0)
            #expect(Self.attempts(pulled) == [
                ["position": "1", "url": "http://\(registry.host)/v2/e2e/app/manifests/v1?ns=docker.io", "endpoint": "http://\(registry.host)/v2",
                 "transport": "plain-http", "outcome": "served", "servedOver": "plain HTTP"],
                ["position": "2", "url": "https://registry-1.docker.io/v2/e2e/app/manifests/v1", "endpoint": "https://registry-1.docker.io/v2",
                 "transport": "https-system-trust", "outcome": "not-tried"],
            ])

            // The layout: index.json names the manifest; every blob hashes to its name; skopeo reads it.
            let index = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output + "/index.json"))) as? [String: Any])
            let entries = try #require(index["manifests"] as? [[String: Any]])
            #expect(entries.count == 1)
            #expect(entries.first?["mediaType"] as? String == HandWrittenLayout.manifestType)
            #expect(entries.first?["digest"] as? String == image.manifest.digest)
            #expect(entries.first?["size"] as? Int == image.manifest.size)
            #expect(entries.first?["annotations"] as? [String: String] == [
                "org.opencontainers.image.ref.name": "v1", "io.containerd.image.name": hubReference,
            ])
            #expect(try HandWrittenLayout.corruptBlobs(in: output) == [])
            let blobNames = Set(try FileManager.default.contentsOfDirectory(atPath: output + "/blobs/sha256"))
            #expect(blobNames == Set(([image.manifest, image.config] + image.layers).map { String($0.digest.dropFirst("sha256:".count)) }))
            let local = try Self.skopeo(["inspect", "oci:\(output):v1"])
            #expect(local["Digest"] as? String == image.manifest.digest)

            // pull again into the same layout, by the registry's own name: every blob is there already
            let second = try Self.json(try HawserProcess.run(["pull", reference, "--config", config, "--output", output, "--json"]))
            #expect(second["digest"] as? String == image.manifest.digest)
            #expect(second["skippedBlobs"] as? Int == image.layers.count + 1)
            #expect(second["transferredBytes"] as? Int == 0)
            #expect(Self.attempts(second) == [Self.attempt(registry, manifestURL)])
            // The same name (v1) names one image: the entry now records the name it was pulled by last.
            let names = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output + "/index.json"))) as? [String: Any])
            #expect((names["manifests"] as? [[String: Any]])?.map { $0["annotations"] as? [String: String] } == [
                ["org.opencontainers.image.ref.name": "v1", "io.containerd.image.name": reference],
            ])

            // doctor: the image can be pulled
            let doctor = try HawserProcess.run(["doctor", reference, "--config", config, "--json"])
            #expect(doctor.status == 0, "\(doctor.stdout)\n\(doctor.stderr)")
            let report = try Self.json(doctor)
            #expect(report["schema"] as? String == "hawser.doctor/v1")
            #expect(report["image"] as? String == reference)
            #expect(report["pullable"] as? Bool == true)
            #expect((report["rootCause"] as? [String: Any])?["code"] as? String == "RC000")
            #expect(report["fix"] is NSNull || report["fix"] == nil)
            let doctorAttempts = try #require(report["attempts"] as? [[String: Any]])
            #expect(doctorAttempts.count == 1)
            #expect(doctorAttempts.first?["url"] as? String == manifestURL)
            #expect(doctorAttempts.first?["transport"] as? String == "https-then-http")
            #expect(doctorAttempts.first?["digest"] as? String == image.manifest.digest)
            // HTTPS first: the registry answered the handshake in plain HTTP, so containerd fell back.
            #expect(doctorAttempts.first?["fellBackToHTTP"] as? Bool == true)
            #expect(doctorAttempts.first?["failure"] == nil)
        }
    }

    @Test("pull of a tag the registry lacks: exit 1, the 404 and the registry's own error in the JSON")
    func pullMissingTag() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { registry in
            let config = try Self.writeConfig(for: registry, in: work)
            let reference = "\(registry.host)/e2e/absent:v9"
            let result = try HawserProcess.run(["pull", reference, "--config", config, "--output", work.file("out"), "--json"])
            #expect(result.status == 1)
            let document = try Self.json(result)
            #expect(Set(document.keys) == ["schema", "image", "attempts", "error"])
            #expect(document["schema"] as? String == "hawser.pull/v1")
            #expect(document["image"] as? String == reference)
            let url = "http://\(registry.host)/v2/e2e/absent/manifests/v9"
            #expect(Self.attempts(document) == [Self.attempt(registry, url, outcome: "failed")])
            let error = try #require(document["error"] as? [String: Any])
            #expect(error["code"] as? String == "registry.not-found")
            #expect(error["status"] as? Int == 404)
            #expect(error["url"] as? String == url)
            #expect((error["registryErrors"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["MANIFEST_UNKNOWN"])
            #expect(result.stderr.contains("hawser pull: "))
        }
    }

    @Test("doctor on a plain-HTTP registry written https://: exit 1, RC101, the fix names the endpoint line")
    func doctorPlainHTTPAsHTTPS() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { registry in
            let config = try Self.writeConfig(for: registry, https: true, in: work)
            let result = try HawserProcess.run(["doctor", "\(registry.host)/e2e/app:v1", "--config", config, "--json", "--timeout", "10"])
            #expect(result.status == 1)
            let report = try Self.json(result)
            #expect(report["pullable"] as? Bool == false)
            let cause = try #require(report["rootCause"] as? [String: Any])
            #expect(cause["code"] as? String == "RC101")
            #expect(cause["slug"] as? String == "plain-http-registry-as-https")
            #expect(cause["attempt"] as? Int == 1)
            let fix = try #require(report["fix"] as? [String: Any])
            #expect(fix["key"] as? String == "mirrors.\"\(registry.host)\".endpoint")
            #expect(fix["file"] as? String == config)
            #expect(fix["line"] as? Int == 4)
            #expect(fix["write"] as? String == "- \"http://\(registry.host)\"")
            // containerd 2.x (the default) ranks the server's 404 above the mirror's TLS error; 1.x reports the mirror's.
            let image = "\(registry.host)/e2e/app:v1"
            #expect(report["containerdError"] as? String == "failed to pull and unpack image \"\(image)\": failed to resolve image: \(image): not found")
            let older = try #require((report["otherVersions"] as? [[String: String]])?.first)
            #expect(older["versions"] == "1.6.0–1.7.34")
            #expect(older["message"] == "failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": "
                + "failed to do request: Head \"https://\(registry.host)/v2/e2e/app/manifests/v1\": http: server gave HTTP response to HTTPS client")
            let attempts = try #require(report["attempts"] as? [[String: Any]])
            // The https:// mirror, then the registry's own default (http://, where the image is not).
            #expect(attempts.compactMap { $0["url"] as? String } == [
                "https://\(registry.host)/v2/e2e/app/manifests/v1", "http://\(registry.host)/v2/e2e/app/manifests/v1",
            ])
            #expect(attempts.compactMap { ($0["failure"] as? [String: Any])?["kind"] as? String } == ["tls-to-plain-http", "not-found"])
        }
    }
}
