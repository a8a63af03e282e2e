import AsyncHTTPClient
import Foundation
import HawserCore
import HawserRegistry
import HawserTestSupport
import Testing

/// `hawser serve` between real clients (hawser pull, skopeo, plain HTTP) and two
/// Debian docker-registry upstreams, all on loopback. Serialized: each test starts
/// its own registries and mirror processes, and the machine has two cores.
@Suite("serve: the mirror, live", .serialized)
struct ServeLiveTests {
    /// The mirror's own registries.yaml: upstream one by its host:port (clients send
    /// ns=127.0.0.1:P), upstream two under a name without a port (so clients that send
    /// no ns can name it as the first path element).
    static func upstreamsYAML(one: RegistryServer, two: RegistryServer? = nil) -> String {
        var text = "mirrors:\n  \"\(one.host)\":\n    endpoint:\n      - \"http://\(one.host)\"\n"
        if let two { text += "  \"registry-two.test\":\n    endpoint:\n      - \"http://\(two.host)\"\n" }
        return text
    }

    /// A node's registries.yaml that sends these registries through the mirror.
    static func nodeYAML(mirror: MirrorProcess, registries: [String], extra: String = "") -> String {
        var text = "mirrors:\n"
        for registry in registries { text += "  \"\(registry)\":\n    endpoint:\n      - \"\(mirror.baseURL)\"\n" }
        return text + extra
    }

    static func hawser(_ arguments: [String], log: String) async throws -> (status: Int32, output: String) {
        let process = try HawserExecutable.launch(arguments, log: log)
        let deadline = ContinuousClock.now + .seconds(120)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        // Swept for dumps as every hawser run is (issue 12).
        for finding in OutputSweep.findings(in: output) { Issue.record("hawser \(arguments.joined(separator: " ")) printed \(finding)") }
        return (process.terminationStatus, output)
    }

    static func pulledDigest(_ output: String) -> String? {
        guard let start = output.range(of: "{"), let data = output[start.lowerBound...].data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["digest"] as? String
    }

    @Test("--print-registries-yaml: a \"*\" mirror, or the registries named; K3s's generator plans through it with ns")
    func printRegistriesYAML() async throws {
        let work = try TemporaryDirectory("hawser-serve")
        defer { work.remove() }
        let everything = try await Self.hawser(["serve", "--listen", "127.0.0.1:5999", "--print-registries-yaml"], log: work.file("all.yaml"))
        #expect(everything.status == 0)
        #expect(everything.output.contains("  \"*\":\n    endpoint:\n      - \"http://127.0.0.1:5999\""))
        let named = try await Self.hawser(["serve", "--listen", "0.0.0.0:5000", "--advertise", "https://mirror.example.com:5000", "--registry", "docker.io",
                                           "--registry", "quay.io", "--htpasswd", "/dev/null", "--ca-file", "/etc/ca.pem", "--print-registries-yaml"],
                                          log: work.file("named.yaml"))
        #expect(named.status == 0, "\(named.output)")
        #expect(named.output.contains("  \"quay.io\":\n    endpoint:\n      - \"https://mirror.example.com:5000\""))
        #expect(named.output.contains("  \"mirror.example.com:5000\":\n    auth:"))
        // What K3s renders from it sends docker.io to the mirror first, with ns.
        let resolved = try await Self.hawser(["resolve", "docker.io/library/nginx:1.27", "--config", work.file("all.yaml"), "--json"], log: work.file("resolve.log"))
        #expect(resolved.status == 0, "\(resolved.output)")
        #expect(resolved.output.contains("http://127.0.0.1:5999/v2/library/nginx/manifests/1.27?ns=docker.io"))
        let checked = try await Self.hawser(["check", work.file("named.yaml")], log: work.file("check.log"))
        #expect(!checked.output.contains("error:"), "\(checked.output)")
    }

    @Test("two upstreams chosen by ns (and by path for skopeo); a second pull comes from the store; the store verifies clean")
    func pullThrough() async throws {
        let work = try TemporaryDirectory("hawser-serve")
        defer { work.remove() }
        try await withRegistry { one in
            try await withRegistry { two in
                let source = try OCILayout(creatingAt: work.file("source"))
                let a = try await ServeFixtures.makeImage(in: source, name: "a", layerSizes: [4096, 300_000])
                let b = try await ServeFixtures.makeImage(in: source, name: "b", layerSizes: [5000])
                // The same repository and tag on both: only ns tells them apart.
                try await ServeFixtures.push(source, name: "a", to: one, repository: "team/app", tag: "v1")
                try await ServeFixtures.push(source, name: "b", to: two, repository: "team/app", tag: "v1")
                try Self.upstreamsYAML(one: one, two: two).write(toFile: work.file("mirror.yaml"), atomically: true, encoding: .utf8)
                let store = work.file("store")
                let mirror = try await MirrorProcess.start(store: store, arguments: ["--config", work.file("mirror.yaml"), "--disable-default-endpoint"],
                                                           log: work.file("serve.log"))
                do {
                    try Self.nodeYAML(mirror: mirror, registries: [one.host, "registry-two.test"])
                        .write(toFile: work.file("node.yaml"), atomically: true, encoding: .utf8)
                    for round in 1...2 {
                        let pullOne = try await Self.hawser(["pull", "\(one.host)/team/app:v1", "--config", work.file("node.yaml"), "--disable-default-endpoint",
                                                             "--output", work.file("out-one-\(round)"), "--json"], log: work.file("pull-one-\(round).log"))
                        #expect(pullOne.status == 0, "\(pullOne.output)")
                        #expect(Self.pulledDigest(pullOne.output) == a.manifest.digest.description)
                        #expect(pullOne.output.contains("ns=\(one.host.replacingOccurrences(of: ":", with: "%3A"))"))
                        let pullTwo = try await Self.hawser(["pull", "registry-two.test/team/app:v1", "--config", work.file("node.yaml"), "--disable-default-endpoint",
                                                             "--output", work.file("out-two-\(round)"), "--json"], log: work.file("pull-two-\(round).log"))
                        #expect(pullTwo.status == 0, "\(pullTwo.output)")
                        #expect(Self.pulledDigest(pullTwo.output) == b.manifest.digest.description)
                    }
                    // skopeo sends no ns: the path's first element names the registry.
                    let skopeo = try Tools.require(Tools.skopeo, package: "skopeo")
                    let inspected = try Tools.run(skopeo, ["inspect", "--no-tags", "--tls-verify=false", "docker://\(mirror.host)/registry-two.test/team/app:v1"])
                    #expect(inspected.contains(b.manifest.digest.description))
                    _ = try Tools.run(skopeo, ["copy", "--src-tls-verify=false", "docker://\(mirror.host)/registry-two.test/team/app:v1", "oci:\(work.file("skopeo")):v1"])

                    // Upstream saw each blob once and the tag's manifest once: the second round came from the store.
                    for blob in a.blobs {
                        #expect(ServeFixtures.gets("/v2/team/app/blobs/\(blob.digest)", in: one.log) == 1, "\(blob.digest)")
                    }
                    // The tag resolved once (HEAD, as containerd does), its manifest fetched by digest once.
                    #expect(ServeFixtures.requests("HEAD", "/v2/team/app/manifests/v1", in: one.log) == 1)
                    #expect(ServeFixtures.gets("/v2/team/app/manifests/\(a.manifest.digest)", in: one.log) == 1)
                    let metrics = try await ServeFixtures.request("\(mirror.baseURL)/metrics")
                    #expect(metrics.text.contains("hawser_serve_requests_total"))
                    #expect(metrics.text.contains(#"result="hit""#))
                    #expect(mirror.log.contains("status=200"))
                } catch {
                    mirror.stop()
                    throw error
                }
                // Graceful shutdown on SIGTERM: exit status 0.
                #expect(mirror.stop() == 0, "\(mirror.log)")
                let verify = try await Self.hawser(["layout", "verify", store], log: work.file("verify.log"))
                #expect(verify.status == 0, "\(verify.output)")
            }
        }
    }

    @Test("16 clients asking for the same missing blob at once: one upstream GET, every client gets every byte")
    func singleFlight() async throws {
        let work = try TemporaryDirectory("hawser-serve")
        defer { work.remove() }
        try await withRegistry { one in
            let source = try OCILayout(creatingAt: work.file("source"))
            let image = try await ServeFixtures.makeImage(in: source, name: "big", layerSizes: [8 << 20])
            try await ServeFixtures.push(source, name: "big", to: one, repository: "team/big", tag: "v1")
            try Self.upstreamsYAML(one: one).write(toFile: work.file("mirror.yaml"), atomically: true, encoding: .utf8)
            try await withMirror(store: work.file("store"), arguments: ["--config", work.file("mirror.yaml"), "--disable-default-endpoint"],
                                 log: work.file("serve.log")) { mirror in
                let layer = try #require(image.layers.first)
                let url = "\(mirror.baseURL)/v2/team/big/blobs/\(layer.digest)?ns=\(one.host)"
                let replies = try await withThrowingTaskGroup(of: ServeFixtures.Reply.self) { group in
                    for _ in 0..<16 { group.addTask { try await ServeFixtures.request(url) } }
                    var all: [ServeFixtures.Reply] = []
                    for try await reply in group { all.append(reply) }
                    return all
                }
                #expect(replies.count == 16)
                for reply in replies {
                    #expect(reply.status == 200)
                    #expect(!reply.failed)
                    #expect(ServeFixtures.sha256(reply.body) == layer.digest.description)
                }
                #expect(ServeFixtures.gets("/v2/team/big/blobs/\(layer.digest)", in: one.log) == 1)
                // A range of the stored blob.
                let range = try await ServeFixtures.request(url, headers: [("Range", "bytes=10-19")])
                #expect(range.status == 206)
                #expect(range.body.count == 10)
                #expect(range.header("Content-Range") == "bytes 10-19/\(layer.size)")
            }
        }
    }

    @Test("a blob whose bytes do not match its digest is never stored, and every client's stream ends in an error")
    func corruptBlob() async throws {
        let work = try TemporaryDirectory("hawser-serve")
        defer { work.remove() }
        try await withRegistry { one in
            let source = try OCILayout(creatingAt: work.file("source"))
            // Large enough that the clients keep up with the download and would have every
            // byte before the digest's verdict (fsync and hash of the last bytes), were the
            // last byte not held back.
            let image = try await ServeFixtures.makeImage(in: source, name: "bad", layerSizes: [24 << 20])
            try await ServeFixtures.push(source, name: "bad", to: one, repository: "team/bad", tag: "v1")
            let layer = try #require(image.layers.first)
            // The registry serves what its storage holds without checking: same size, other bytes.
            let hex = layer.digest.encoded
            let data = "\(one.directory.path)/storage/docker/registry/v2/blobs/sha256/\(hex.prefix(2))/\(hex)/data"
            #expect(FileManager.default.fileExists(atPath: data))
            try Data(ServeFixtures.randomBytes(Int(layer.size))).write(to: URL(fileURLWithPath: data))
            try Self.upstreamsYAML(one: one).write(toFile: work.file("mirror.yaml"), atomically: true, encoding: .utf8)
            let store = work.file("store")
            try await withMirror(store: store, arguments: ["--config", work.file("mirror.yaml"), "--disable-default-endpoint"],
                                 log: work.file("serve.log")) { mirror in
                let url = "\(mirror.baseURL)/v2/team/bad/blobs/\(layer.digest)?ns=\(one.host)"
                let replies = try await withThrowingTaskGroup(of: ServeFixtures.Reply?.self) { group in
                    for _ in 0..<3 { group.addTask { try? await ServeFixtures.request(url) } }
                    var all: [ServeFixtures.Reply?] = []
                    for try await reply in group { all.append(reply) }
                    return all
                }
                for reply in replies {
                    // Either the request itself failed or its body ended short: never a complete 200.
                    if let reply { #expect(reply.failed || reply.status != 200 || reply.body.count < Int(layer.size)) }
                }
                #expect(!FileManager.default.fileExists(atPath: "\(store)/blobs/sha256/\(hex)"))
                #expect(mirror.log.contains("nothing stored"))
            }
        }
    }

    @Test("tags are asked again after the TTL, and served stale while upstream is down")
    func tagTTL() async throws {
        let work = try TemporaryDirectory("hawser-serve")
        defer { work.remove() }
        let one = try await RegistryServer.start()
        defer { one.stop() }
        let source = try OCILayout(creatingAt: work.file("source"))
        let first = try await ServeFixtures.makeImage(in: source, name: "first", layerSizes: [1000])
        let second = try await ServeFixtures.makeImage(in: source, name: "second", layerSizes: [1001])
        try await ServeFixtures.push(source, name: "first", to: one, repository: "team/tag", tag: "v1")
        try Self.upstreamsYAML(one: one).write(toFile: work.file("mirror.yaml"), atomically: true, encoding: .utf8)
        try await withMirror(store: work.file("store"), arguments: ["--config", work.file("mirror.yaml"), "--disable-default-endpoint", "--tag-ttl", "0"],
                             log: work.file("serve.log")) { mirror in
            let url = "\(mirror.baseURL)/v2/team/tag/manifests/v1?ns=\(one.host)"
            let accept = [("Accept", MediaType.ociManifest)]
            #expect(try await ServeFixtures.request(url, headers: accept).header("Docker-Content-Digest") == first.manifest.digest.description)
            try await ServeFixtures.push(source, name: "second", to: one, repository: "team/tag", tag: "v1")
            // TTL 0: upstream is asked again and the tag has moved.
            #expect(try await ServeFixtures.request(url, headers: accept).header("Docker-Content-Digest") == second.manifest.digest.description)
            one.stop(removeFiles: false)
            let stale = try await ServeFixtures.request(url, headers: accept)
            #expect(stale.status == 200)
            #expect(stale.header("Docker-Content-Digest") == second.manifest.digest.description)
            #expect(ServeFixtures.sha256(stale.body) == second.manifest.digest.description)
            #expect(mirror.log.contains("serving the cached tag stale"))
            // A tag never seen has nothing to fall back on.
            let unseen = try await ServeFixtures.request("\(mirror.baseURL)/v2/team/tag/manifests/v2?ns=\(one.host)")
            #expect(unseen.status == 502)
            #expect(unseen.text.contains(#""code":"UNKNOWN""#))
        }
    }

    @Test("refusals: no ns, a bad ns, traversal, pushes; the client's Authorization never reaches upstream")
    func refusals() async throws {
        let work = try TemporaryDirectory("hawser-serve")
        defer { work.remove() }
        let htpasswd = try Tools.require(Tools.htpasswd, package: "apache2-utils")
        try Tools.run(htpasswd, ["-Bbc", work.file("upstream.htpasswd"), "upstream-user", "upstream-pass"])
        try await withRegistry(auth: .htpasswd(path: work.file("upstream.htpasswd"))) { one in
            // The mirror has no credentials for this upstream.
            try Self.upstreamsYAML(one: one).write(toFile: work.file("mirror.yaml"), atomically: true, encoding: .utf8)
            try await withMirror(store: work.file("store"), arguments: ["--config", work.file("mirror.yaml"), "--disable-default-endpoint"],
                                 log: work.file("serve.log")) { mirror in
                let base = mirror.baseURL
                let noNamespace = try await ServeFixtures.request("\(base)/v2/team/app/manifests/v1")
                #expect(noNamespace.status == 400)
                #expect(noNamespace.text.contains(#""code":"NAME_INVALID""#))
                #expect(try await ServeFixtures.request("\(base)/v2/team/app/manifests/v1?ns=not-a-registry").status == 400)
                #expect(try await ServeFixtures.request("\(base)/v2/team/../../etc/manifests/v1?ns=\(one.host)").status == 400)
                #expect(try await ServeFixtures.request("\(base)/v2/team/app/manifests/v1?ns=\(one.host)", method: .PUT).status == 405)
                #expect(try await ServeFixtures.request("\(base)/v2/team/app/blobs/uploads/?ns=\(one.host)", method: .POST).status == 405)
                // The client's credentials would open the upstream; the mirror must not pass them on.
                let basic = "Basic " + Data("upstream-user:upstream-pass".utf8).base64EncodedString()
                let forwarded = try await ServeFixtures.request("\(base)/v2/team/app/manifests/v1?ns=\(one.host)", headers: [("Authorization", basic)])
                #expect(forwarded.status == 502)
                #expect(forwarded.text.contains("401"))
                #expect(!mirror.log.contains("upstream-pass"))
            }
            // Control: with the credentials in the mirror's own configs, the same upstream answers.
            let source = try OCILayout(creatingAt: work.file("source"))
            try await ServeFixtures.makeImage(in: source, name: "app", layerSizes: [100])
            let withCredentials = Self.upstreamsYAML(one: one)
                + "configs:\n  \"\(one.host)\":\n    auth:\n      username: upstream-user\n      password: upstream-pass\n"
            try withCredentials.write(toFile: work.file("mirror-auth.yaml"), atomically: true, encoding: .utf8)
            try await withMirror(store: work.file("store-auth"), arguments: ["--config", work.file("mirror-auth.yaml"), "--disable-default-endpoint"],
                                 log: work.file("serve-auth.log")) { mirror in
                let answered = try await ServeFixtures.request("\(mirror.baseURL)/v2/team/app/manifests/v1?ns=\(one.host)")
                #expect(answered.status == 404, "\(answered.text)")
                #expect(answered.text.contains("MANIFEST_UNKNOWN"))
            }
        }
    }

    @Test("two replicas on one store, pulled from at once, leave a store that layout verify finds clean")
    func replicas() async throws {
        let work = try TemporaryDirectory("hawser-serve")
        defer { work.remove() }
        try await withRegistry { one in
            let source = try OCILayout(creatingAt: work.file("source"))
            let image = try await ServeFixtures.makeImage(in: source, name: "shared", layerSizes: [2 << 20, 1 << 20, 100_000, 5000])
            try await ServeFixtures.push(source, name: "shared", to: one, repository: "team/shared", tag: "v1")
            try Self.upstreamsYAML(one: one).write(toFile: work.file("mirror.yaml"), atomically: true, encoding: .utf8)
            let store = work.file("store")
            let arguments = ["--config", work.file("mirror.yaml"), "--disable-default-endpoint"]
            try await withMirror(store: store, arguments: arguments, log: work.file("serve-1.log")) { first in
                try await withMirror(store: store, arguments: arguments, log: work.file("serve-2.log")) { second in
                    for (index, mirror) in [first, second].enumerated() {
                        try Self.nodeYAML(mirror: mirror, registries: [one.host]).write(toFile: work.file("node-\(index).yaml"), atomically: true, encoding: .utf8)
                    }
                    let started = ContinuousClock.now
                    let results = try await withThrowingTaskGroup(of: (Int32, String).self) { group in
                        for client in 0..<4 {
                            group.addTask {
                                let result = try await Self.hawser(["pull", "\(one.host)/team/shared:v1", "--config", work.file("node-\(client % 2).yaml"),
                                                                    "--disable-default-endpoint", "--output", work.file("out-\(client)"), "--json"],
                                                                   log: work.file("pull-\(client).log"))
                                return (result.status, result.output)
                            }
                        }
                        var all: [(Int32, String)] = []
                        for try await result in group { all.append(result) }
                        return all
                    }
                    let elapsed = ContinuousClock.now - started
                    for (status, output) in results {
                        #expect(status == 0, "\(output)")
                        #expect(Self.pulledDigest(output) == image.manifest.digest.description)
                    }
                    // No single flight across replicas: at most one upstream GET per blob per replica.
                    let gets = image.blobs.map { ServeFixtures.gets("/v2/team/shared/blobs/\($0.digest)", in: one.log) }
                    for count in gets { #expect((1...2).contains(count)) }
                    print("two replicas: 4 pulls of \(image.layers.count) layers in \(elapsed); upstream GETs per blob \(gets)")
                }
            }
            let verify = try await Self.hawser(["layout", "verify", store], log: work.file("verify.log"))
            #expect(verify.status == 0, "\(verify.output)")
            for blob in image.blobs {
                #expect(FileManager.default.fileExists(atPath: "\(store)/blobs/sha256/\(blob.digest.encoded)"))
            }
        }
    }

    @Test("HTTPS with --tls-cert and basic auth with --htpasswd: refused without credentials, pulled with them; /metrics too")
    func tlsAndAuth() async throws {
        let work = try TemporaryDirectory("hawser-serve")
        defer { work.remove() }
        let certificates = try TestCertificates.make(in: work)
        let htpasswd = try Tools.require(Tools.htpasswd, package: "apache2-utils")
        try Tools.run(htpasswd, ["-Bbc", work.file("clients.htpasswd"), "node", "node-pass"])
        try await withRegistry { one in
            let source = try OCILayout(creatingAt: work.file("source"))
            let image = try await ServeFixtures.makeImage(in: source, name: "tls", layerSizes: [3000])
            try await ServeFixtures.push(source, name: "tls", to: one, repository: "team/tls", tag: "v1")
            try Self.upstreamsYAML(one: one).write(toFile: work.file("mirror.yaml"), atomically: true, encoding: .utf8)
            try await withMirror(store: work.file("store"), arguments: ["--config", work.file("mirror.yaml"), "--disable-default-endpoint",
                                                                        "--tls-cert", certificates.serverCertificate, "--tls-key", certificates.serverKey,
                                                                        "--htpasswd", work.file("clients.htpasswd")],
                                 log: work.file("serve.log")) { mirror in
                let node = Self.nodeYAML(mirror: mirror, registries: [one.host], extra: """
                    configs:
                      "\(mirror.host)":
                        tls:
                          ca_file: "\(certificates.caCertificate)"

                    """)
                try node.write(toFile: work.file("node-anonymous.yaml"), atomically: true, encoding: .utf8)
                let refused = try await Self.hawser(["pull", "\(one.host)/team/tls:v1", "--config", work.file("node-anonymous.yaml"), "--disable-default-endpoint",
                                                     "--output", work.file("refused")], log: work.file("refused.log"))
                #expect(refused.status != 0)
                #expect(refused.output.contains("401"))
                let withAuth = node + "    auth:\n      username: \"node\"\n      password: \"node-pass\"\n"
                try withAuth.write(toFile: work.file("node.yaml"), atomically: true, encoding: .utf8)
                let pulled = try await Self.hawser(["pull", "\(one.host)/team/tls:v1", "--config", work.file("node.yaml"), "--disable-default-endpoint",
                                                    "--output", work.file("out"), "--json"], log: work.file("pull.log"))
                #expect(pulled.status == 0, "\(pulled.output)\n\(mirror.log)")
                #expect(Self.pulledDigest(pulled.output) == image.manifest.digest.description)
                #expect(mirror.log.contains("user=node"))
                #expect(!mirror.log.contains("node-pass"))
                // /metrics is behind --htpasswd too.
                let curl = "/usr/bin/curl"
                let metrics = "\(mirror.baseURL)/metrics"
                let anonymous = try Tools.run(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", certificates.caCertificate, metrics])
                #expect(anonymous == "401")
                let scraped = try Tools.run(curl, ["-s", "-f", "--cacert", certificates.caCertificate, "-u", "node:node-pass", metrics])
                #expect(scraped.contains("hawser_serve_requests_total"))
            }
        }
    }
}
