import Foundation
import HawserTestSupport
import Testing

/// `hawser copy` and `hawser sync` as a user runs them, against real
/// docker-registry instances: exit statuses, the JSON documents (docs/json.md),
/// a Harbor-style project path, and `sync --for` proven by pulling every image
/// through the plan with its default endpoint gone.
@Suite("hawser copy and sync against docker-registry")
struct CopySyncCLITests {
    static func json(_ result: HawserProcess.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                     "not JSON (exit \(result.status)):\n\(result.stdout)\n\(result.stderr)")
    }

    static func skopeoDigest(_ reference: String) throws -> String? {
        let text = try Tools.run(try Tools.require(Tools.skopeo, package: "skopeo"), ["inspect", "--tls-verify=false", reference])
        return (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["Digest"] as? String
    }

    /// Pushes three one-platform images to `registry` as `<repository>:v1`.
    static func seed(_ registry: RegistryServer, repositories: [String], in work: TemporaryDirectory) throws -> [String: HandWrittenLayout] {
        var images: [String: HandWrittenLayout] = [:]
        for repository in repositories {
            let image = try HandWrittenLayout.write(at: work.file("seed-" + repository.replacingOccurrences(of: "/", with: "-")),
                                                    name: "v1", layerSizes: [2000, 9000])
            let push = try HawserProcess.run(["copy", "oci:\(image.path):v1", "\(registry.host)/\(repository):v1", "--config", "/dev/null", "--quiet"])
            #expect(push.status == 0, "\(push.stderr)")
            images[repository] = image
        }
        return images
    }

    @Test("copy oci → registry → oci: the JSON summary, digests skopeo reads; a failing side is named")
    func copyCommand() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let image = try HandWrittenLayout.write(at: work.file("source"), name: "v1", layerSizes: [3000, 40_000])
        let host = try await withRegistry { registry -> String in
            let reference = "\(registry.host)/air/app:v1"
            let up = try HawserProcess.run(["copy", "oci:\(image.path):v1", reference, "--config", "/dev/null", "--json"])
            #expect(up.status == 0, "\(up.stderr)")
            let document = try Self.json(up)
            #expect(Set(document.keys) == ["schema", "source", "destination", "digest", "mediaType", "manifests", "size",
                                           "transferredBytes", "blobs", "referrers"])
            #expect(document["schema"] as? String == "hawser.copy/v1")
            #expect(document["source"] as? String == "oci:\(image.path):v1")
            #expect(document["destination"] as? String == reference)
            #expect(document["digest"] as? String == image.manifest.digest)
            #expect(document["manifests"] as? Int == 1)
            #expect(document["size"] as? Int == image.totalSize)
            #expect(document["transferredBytes"] as? Int == image.totalSize - image.manifest.size)
            #expect(document["blobs"] as? [String: Int] == ["uploaded": 3, "mounted": 0, "present": 0])
            #expect(try Self.skopeoDigest("docker://\(reference)") == image.manifest.digest)

            let down = try HawserProcess.run(["copy", reference, "oci:\(work.file("back"))", "--config", "/dev/null", "--json"])
            #expect(down.status == 0, "\(down.stderr)")
            #expect(try Self.json(down)["digest"] as? String == image.manifest.digest)
            #expect(try Self.skopeoDigest("oci:\(work.file("back")):v1") == image.manifest.digest)
            #expect(try HandWrittenLayout.corruptBlobs(in: work.file("back")) == [])
            return registry.host
        }
        // The registry is gone: the destination side and its host are named.
        let failed = try HawserProcess.run(["copy", "oci:\(image.path):v1", "\(host)/air/app:v1", "--config", "/dev/null", "--json"])
        #expect(failed.status == 1)
        let error = try #require(try Self.json(failed)["error"] as? [String: Any])
        #expect(error["side"] as? String == "destination")
        #expect(error["location"] as? String == host)
        #expect(error["code"] as? String == "registry.transport")
        #expect(failed.stderr.contains("destination registry \(host)"))
    }

    @Test("sync --to a Harbor-style project: text and YAML lists, present images skipped, a failure does not stop the others; bad lines by number")
    func syncTo() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { source in
            try await withRegistry { harbor in
                let images = try Self.seed(source, repositories: ["library/nginx", "rancher/pause", "team/app"], in: work)
                let list = work.file("images.txt")
                try """
                # k3s-images.txt style
                \(source.host)/library/nginx:v1

                \(source.host)/rancher/pause:v1
                \(source.host)/missing/image:v1
                """.write(toFile: list, atomically: true, encoding: .utf8)
                let target = "\(harbor.host)/dockerhub-proxy"

                let dry = try HawserProcess.run(["sync", list, "--to", target, "--dry-run"])
                #expect(dry.status == 0, "\(dry.stderr)")
                #expect(dry.stdout.contains("\(source.host)/library/nginx:v1 → \(harbor.host)/dockerhub-proxy/library/nginx:v1"))
                #expect(!harbor.log.contains("PUT /v2/"))

                let first = try HawserProcess.run(["sync", list, "--to", target, "--json"])
                #expect(first.status == 1, "\(first.stderr)")
                let document = try Self.json(first)
                #expect(document["schema"] as? String == "hawser.sync/v1")
                #expect(document["copied"] as? Int == 2)
                #expect(document["failed"] as? Int == 1)
                let rows = try #require(document["images"] as? [[String: Any]])
                #expect(rows.map { $0["line"] as? Int } == [2, 4, 5])
                #expect(rows.map { $0["outcome"] as? String } == ["copied", "copied", "failed"])
                #expect((rows[2]["error"] as? [String: Any])?["side"] as? String == "source")
                #expect(try Self.skopeoDigest("docker://\(harbor.host)/dockerhub-proxy/library/nginx:v1") == images["library/nginx"]?.manifest.digest)

                // Again, as a table: the two copied are present now; the missing one still fails.
                let second = try HawserProcess.run(["sync", list, "--to", target])
                #expect(second.status == 1)
                #expect(second.stdout.contains("3 image(s): 0 copied, 2 already there, 1 failed"))

                // YAML with per-image options: a target name.
                let yaml = work.file("images.yaml")
                try "- \(source.host)/team/app:v1\n- image: \(source.host)/rancher/pause:v1\n  target: infra/pause:3.9\n"
                    .write(toFile: yaml, atomically: true, encoding: .utf8)
                let third = try HawserProcess.run(["sync", yaml, "--to", target, "--json"])
                #expect(third.status == 0, "\(third.stderr)")
                #expect((try Self.json(third)["images"] as? [[String: Any]])?.map { $0["destination"] as? String } ==
                        ["\(harbor.host)/dockerhub-proxy/team/app:v1", "\(harbor.host)/dockerhub-proxy/infra/pause:3.9"])
                #expect(try Self.skopeoDigest("docker://\(harbor.host)/dockerhub-proxy/infra/pause:3.9") == images["rancher/pause"]?.manifest.digest)

                // A bad line stops everything before any copy, with its number.
                let bad = work.file("bad.txt")
                try "\(source.host)/team/app:v1\n\n\(source.host)/UPPER/case:v1\n".write(toFile: bad, atomically: true, encoding: .utf8)
                let refused = try HawserProcess.run(["sync", bad, "--to", "\(harbor.host)/other"])
                #expect(refused.status == 2)
                #expect(refused.stderr.contains("\(bad):3:"))
                #expect(refused.stderr.contains("sync.image-list"))
                #expect(!harbor.log.contains("/v2/other/"))
            }
        }
    }

    @Test("sync --for registries.yaml (a rewrite, a Harbor project path, plain HTTP, credentials): every image then pulls from the mirror with the registry gone")
    func syncFor() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let htpasswd = try Tools.run(try Tools.require(Tools.htpasswd, package: "apache2-utils"), ["-Bbn", "mirror", "m1rror"])
        try htpasswd.write(toFile: work.file("htpasswd"), atomically: true, encoding: .utf8)
        try await withRegistry(auth: .htpasswd(path: work.file("htpasswd"))) { mirror in
            let source = try await RegistryServer.start()
            defer { source.stop() }
            let images = try Self.seed(source, repositories: ["team/app", "library/base"], in: work)
            let config = work.file("registries.yaml")
            try """
            mirrors:
              "\(source.host)":
                endpoint:
                  - "http://\(mirror.host)/v2/harbor-project"
                rewrite:
                  "^team/(.*)": "mirrored/team/$1"
            configs:
              "\(mirror.host)":
                auth:
                  username: mirror
                  password: m1rror
            """.write(toFile: config, atomically: true, encoding: .utf8)
            let list = work.file("images.txt")
            try "\(source.host)/team/app:v1\n\(source.host)/library/base:v1\n".write(toFile: list, atomically: true, encoding: .utf8)

            let dry = try HawserProcess.run(["sync", list, "--for", config, "--dry-run"])
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(dry.stdout.contains("\(source.host)/team/app:v1 → \(mirror.host)/harbor-project/mirrored/team/app:v1"))
            #expect(dry.stdout.contains("\(source.host)/library/base:v1 → \(mirror.host)/harbor-project/library/base:v1"))

            let sync = try HawserProcess.run(["sync", list, "--for", config, "--json"])
            #expect(sync.status == 0, "\(sync.stdout)\n\(sync.stderr)")
            #expect(try Self.json(sync)["copied"] as? Int == 2)

            // The default endpoint (the source registry) is gone: each image comes from the mirror, attempt 1.
            source.stop()
            for (repository, image) in images {
                let reference = "\(source.host)/\(repository):v1"
                let pull = try HawserProcess.run(["pull", reference, "--config", config, "--output", work.file("pulled"), "--json"])
                #expect(pull.status == 0, "\(pull.stderr)")
                let document = try Self.json(pull)
                #expect(document["digest"] as? String == image.manifest.digest)
                let served = (document["attempts"] as? [[String: Any]])?.first { $0["outcome"] as? String == "served" }
                #expect(served?["position"] as? Int == 1)
                #expect((served?["url"] as? String)?.hasPrefix("http://\(mirror.host)/v2/harbor-project/") == true)
            }
        }
    }
}
