import Foundation
import Testing
@testable import HawserCore

@Suite("The endpoint plan")
struct PlanTests {
    func plan(_ yaml: String, _ image: String, options: RenderOptions = .init()) throws -> Plan {
        let loaded = try RegistriesConfig.parse(yaml, file: "registries.yaml")
        return try HostsConfiguration.fromRegistries(loaded.config, path: "registries.yaml", options: options)
            .plan(for: ImageReference(parsing: image))
    }

    @Test("every TLS mode", arguments: [
        ("mirrors:\n  r.example.com:\n    endpoint: [\"https://m.example.com\"]\n", "https-system-trust"),
        ("mirrors:\n  r.example.com:\n    endpoint: [\"https://m.example.com\"]\nconfigs:\n  m.example.com:\n    tls:\n      ca_file: /ca.pem\n", "https-custom-ca"),
        ("mirrors:\n  r.example.com:\n    endpoint: [\"https://m.example.com\"]\nconfigs:\n  m.example.com:\n    tls:\n      cert_file: /c.pem\n      key_file: /k.pem\n", "https-client-certificate"),
        ("mirrors:\n  r.example.com:\n    endpoint: [\"https://m.example.com\"]\nconfigs:\n  m.example.com:\n    tls:\n      insecure_skip_verify: true\n", "https-skip-verify"),
        ("mirrors:\n  r.example.com:\n    endpoint: [\"http://m.example.com\"]\n", "plain-http"),
        ("mirrors:\n  r.example.com:\n    endpoint: [\"http://m.example.com:80\"]\nconfigs:\n  m.example.com:80:\n    tls:\n      insecure_skip_verify: true\n", "plain-http"),
        ("mirrors:\n  r.example.com:\n    endpoint: [\"http://m.example.com:5000\"]\nconfigs:\n  m.example.com:5000:\n    tls:\n      insecure_skip_verify: true\n", "https-then-http"),
        ("mirrors:\n  r.example.com:\n    endpoint: [\"http://m.example.com:5000\"]\nconfigs:\n  m.example.com:5000:\n    tls:\n      ca_file: /ca.pem\n", "https-then-http"),
    ])
    func tlsModes(yaml: String, mode: String) throws {
        let plan = try plan(yaml, "r.example.com/app:v1")
        #expect(plan.attempts.first?.transport.kind == mode)
        #expect(plan.attempts.first?.endpoint.host.hasPrefix("m.example.com") == true)
    }

    @Test("seed case: plain HTTP mirror then HTTPS skip-verify server on port 80") func seed() throws {
        let yaml = try Fixtures.text("examples/harbor-port-80.yaml")
        let plan = try plan(yaml, "harbor.example.com:80/library/app:v1")
        #expect(plan.attempts.map { $0.manifestURL(for: plan.image) } == [
            "http://harbor.example.com:80/v2/library/app/manifests/v1",
            "https://harbor.example.com:80/v2/library/app/manifests/v1",
        ])
        #expect(plan.attempts.map(\.transport.kind) == ["plain-http", "https-skip-verify"])
        #expect(PlanNotes.notes(for: plan).contains { $0.contains("server gave HTTP response to HTTPS client") })
        // The same image named without the port is another registry: no mirror at all.
        let other = try self.plan(yaml, "harbor.example.com/library/app:v1")
        #expect(other.attempts.map(\.endpoint.description) == ["https://harbor.example.com/v2"])
    }

    @Test("docker.io mirror: ?ns=, credentials by contacted host, Docker Hub last") func dockerMirror() throws {
        let plan = try plan(try Fixtures.text("examples/docker-io-mirror.yaml"), "nginx")
        #expect(plan.attempts.count == 2)
        #expect(plan.attempts[0].manifestURL(for: plan.image) == "http://harbor.example.com:80/v2/library/nginx/manifests/latest?ns=docker.io")
        #expect(plan.attempts[0].credentialsKey == "harbor.example.com:80")
        #expect(plan.attempts[1].manifestURL(for: plan.image) == "https://registry-1.docker.io/v2/library/nginx/manifests/latest")
        #expect(plan.attempts[1].namespace == nil)
        #expect(plan.attempts[1].credentialsKey == nil)
    }

    @Test("docker.io credentials reach registry-1.docker.io, registry-1 key first") func dockerCredentials() throws {
        let both = "configs:\n  docker.io:\n    auth: {username: a, password: b}\n  registry-1.docker.io:\n    auth: {username: c, password: d}\n"
        #expect(try plan(both, "nginx").attempts.last?.credentialsKey == "registry-1.docker.io")
        let one = "configs:\n  docker.io:\n    auth: {username: a, password: b}\n"
        #expect(try plan(one, "nginx").attempts.last?.credentialsKey == "docker.io")
        let wildcard = "configs:\n  \"*\":\n    auth: {username: a, password: b}\n"
        #expect(try plan(wildcard, "quay.io/a/b").attempts.allSatisfy { $0.credentialsKey == nil })
    }

    /// K3s's configForHost: a registry name is looked up under containerd's
    /// host for it first (docker.io -> registry-1.docker.io), then as written.
    @Test("docker.io: configs of registry-1.docker.io reach docker.io's server line, and win over configs.docker.io") func configForHostDockerIO() throws {
        let onlyRegistry1 = try Fixtures.text("k3s/derived-docker-io-mirror-default-endpoint-takes-configs-of-registry-1-docker-io/registries.yaml")
        let hub = try plan(onlyRegistry1, "nginx:1.27")
        #expect(hub.attempts.map(\.endpoint.description) == ["https://mirror.example.com/v2", "https://registry-1.docker.io/v2"])
        #expect(hub.attempts.map(\.transport) == [.https(TLSSettings()), .https(TLSSettings(caFiles: ["/etc/ssl/hub-ca.pem"]))])

        let both = try Fixtures.text("k3s/derived-docker-io-endpoint-takes-registry-1-docker-io-configs-before-docker-io/registries.yaml")
        let quay = try plan(both, "quay.io/org/app:v1")
        #expect(quay.attempts.map(\.endpoint.description) == ["https://registry-1.docker.io/v2", "https://quay.io/v2"])
        #expect(quay.attempts.first?.transport == .https(TLSSettings(caFiles: ["/etc/ssl/registry-1-ca.pem"])))
        #expect(quay.attempts.first?.namespace == "quay.io")
        // The docker.io folder is written from configs.docker.io itself (pass 1), so nginx keeps docker.io's CA.
        #expect(try plan(both, "nginx").attempts.map(\.transport) == [.https(TLSSettings(caFiles: ["/etc/ssl/docker-io-ca.pem"]))])
    }

    @Test("rewrites apply to mirrors, never to the server") func rewrites() throws {
        let yaml = "mirrors:\n  docker.io:\n    endpoint: [\"https://m.example.com\"]\n    rewrite:\n      \"^rancher/(.*)\": \"mirrored/rancher/$1\"\n"
        let plan = try plan(yaml, "rancher/k3s:v1")
        #expect(plan.attempts[0].repository == "mirrored/rancher/k3s")
        #expect(plan.attempts[0].rewrite?.original == "rancher/k3s")
        #expect(plan.attempts[1].repository == "rancher/k3s")
        #expect(try self.plan(yaml, "nginx").attempts[0].rewrite == nil)
    }

    @Test("a [rewrite] table at the root of a hand-written hosts.toml is not applied to the server") func serverRewriteIgnored() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = directory.appendingPathComponent("registry.example.com")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
            server = "https://registry.example.com"
            [rewrite]
              "^team/(.*)" = "root/team/$1"

            [host."https://m.example.com"]
              capabilities = ["pull", "resolve"]
              [host."https://m.example.com".rewrite]
                "^team/(.*)" = "mirrored/team/$1"
            """.write(to: folder.appendingPathComponent("hosts.toml"), atomically: true, encoding: .utf8)
        let plan = try HostsConfiguration.hostsDirectory(atPath: directory.path).plan(for: ImageReference(parsing: "registry.example.com/team/app:v1"))
        #expect(plan.attempts.map(\.repository) == ["mirrored/team/app", "team/app"])
        #expect(plan.attempts.map(\.rewrite?.rewritten) == ["mirrored/team/app", nil])
    }

    @Test("containerd's defaults for an empty server") func defaults() throws {
        let none = "mirrors: {}\n"
        #expect(try plan(none, "localhost:5000/a").attempts.map(\.transport.kind) == ["https-then-http"])
        #expect(try plan(none, "localhost:80/a").attempts.map(\.transport.kind) == ["plain-http"])
        #expect(try plan(none, "localhost/a").attempts.map(\.transport.kind) == ["https-skip-verify"])
        #expect(try plan(none, "127.0.0.1:443/a").attempts.map(\.endpoint.scheme) == [.https])
        #expect(try plan(none, "nginx").attempts.map(\.endpoint.host) == ["registry-1.docker.io"])
        let wildcard = "mirrors:\n  \"*\":\n    endpoint: [\"https://m.example.com\"]\n"
        let plan = try plan(wildcard, "quay.io/org/app")
        #expect(plan.attempts.map(\.endpoint.description) == ["https://m.example.com/v2", "https://quay.io/v2"])
        #expect(plan.attempts[0].namespace == "quay.io")
    }

    @Test("no server line: no fallback to the default endpoint") func noServer() throws {
        let yaml = "mirrors:\n  docker.io:\n    endpoint: [\"https://m.example.com\"]\n"
        let plan = try plan(yaml, "nginx", options: RenderOptions(disableDefaultEndpoint: true))
        #expect(plan.attempts.map(\.endpoint.host) == ["m.example.com"])
        #expect(PlanNotes.notes(for: plan).contains { $0.contains("does not fall back") })
        let wildcardConfig = try self.plan("configs:\n  \"*\":\n    tls: {insecure_skip_verify: true}\n", "quay.io/a/b")
        #expect(wildcardConfig.attempts.isEmpty)
        #expect(PlanNotes.notes(for: wildcardConfig).contains { $0.contains("no endpoint at all") })
    }

    @Test("http:// with TLS and no port also tries HTTPS first") func fallbackWithoutPort() throws {
        let yaml = "mirrors:\n  docker.io:\n    endpoint: [\"http://m.example.com\"]\nconfigs:\n  m.example.com:\n    tls: {ca_file: /ca.pem}\n"
        #expect(try plan(yaml, "nginx").attempts.first?.transport.kind == "https-then-http")
    }

    @Test("capabilities: a pull-only host is skipped for a tag, used for a digest") func capabilities() throws {
        let directory = try Fixtures.url("hosts/certs.d").path
        let configuration = HostsConfiguration.hostsDirectory(atPath: directory)
        let byTag = try configuration.plan(for: ImageReference(parsing: "registry.example.com:5000/team/app:v1"))
        #expect(byTag.attempts.map(\.endpoint.host) == ["alpha-mirror.example.net:8080", "registry.example.com:5000"])
        #expect(byTag.skipped.map(\.endpoint.host) == ["zeta-mirror.example.net"])
        #expect(byTag.attempts[0].repository == "mirrored/team/app")
        let byDigest = try configuration.plan(for: ImageReference(parsing: "registry.example.com:5000/team/app@sha256:\(String(repeating: "b", count: 64))"))
        #expect(byDigest.attempts.map(\.endpoint.host) == ["zeta-mirror.example.net", "alpha-mirror.example.net:8080", "registry.example.com:5000"])
        #expect(byDigest.attempts[0].manifestURL(for: byDigest.image).hasPrefix("https://zeta-mirror.example.net/base/team/app/manifests/sha256:"))
    }

    @Test("--config and --hosts-dir of its rendering give the same plan", arguments: Fixtures.conformanceCases())
    func configAndHostsDirAgree(_ name: String) throws {
        let testCase = try ConformanceCase(name)
        let loaded = try RegistriesConfig.load(contentsOf: testCase.registriesYAML.path)
        // containerd resolves relative TLS paths against the certs.d folder; use absolute ones here.
        var options = testCase.options
        options.embeddedRegistry = options.embeddedRegistry.map { .init(address: $0.address, caFile: "/ca", certFile: "/cert", keyFile: "/key") }
        let fromConfig = HostsConfiguration.fromRegistries(loaded.config, path: "x", options: options)
        let output = K3sHostsGenerator(options: options).generate(loaded.config)
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tree = directory.appendingPathComponent("certs.d").path
        try CertsDirectoryWriter(destination: tree).write(output.hosts)
        let fromDirectory = HostsConfiguration.hostsDirectory(atPath: tree, credentials: output.effective)
        let registries = Set(loaded.config.mirrors.map(\.key) + loaded.config.configs.map(\.key)).filter { $0 != "*" }
        for image in ["nginx", "quay.io/org/app:v1", "localhost:5000/a"] + registries.map({ "\($0)/team/app:v1" }) {
            // Every image here must parse: a fixture that cannot be planned is a failure, not a skip.
            let reference = try ImageReference(parsing: image)
            let a = try fromConfig.plan(for: reference)
            let b = try fromDirectory.plan(for: reference)
            #expect(a.attempts == b.attempts, "\(name): \(image)")
        }
    }

    @Test("JSON document has the stable fields") func json() throws {
        let plan = try plan(try Fixtures.text("examples/docker-io-mirror.yaml"), "nginx")
        let document = PlanDocument(plan: plan, credentials: { _ in RegistryCredentials(username: "u", password: "secret-value") }, notes: PlanNotes.notes(for: plan))
        let data = try JSONEncoder().encode(document)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("secret-value"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["schema"] as? String == "hawser.plan/v1")
        let attempts = try #require(object["attempts"] as? [[String: Any]])
        #expect(attempts.count == 2)
        #expect(Set(attempts[0].keys).isSuperset(of: ["position", "url", "scheme", "transport", "credentials", "capabilities", "reason", "role"]))
        #expect((attempts[0]["credentials"] as? [String: Any])?["configsKey"] as? String == "harbor.example.com:80")
    }
}
