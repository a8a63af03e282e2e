import Foundation
import Testing
@testable import HawserCore

/// The versioned containerd model: version ranges, parsing, and what each
/// behaviour does to a plan, on hosts.toml fixtures (Fixtures/containerd/),
/// at the versions on both sides of every change.
@Suite("containerd versions and builds")
struct ContainerdModelTests {
    static func k3s(_ major: Int, _ minor: Int, _ patch: Int) -> Containerd {
        Containerd(version: ContainerdVersion(major, minor, patch), build: .k3s)
    }

    static func upstream(_ major: Int, _ minor: Int, _ patch: Int) -> Containerd {
        Containerd(version: ContainerdVersion(major, minor, patch), build: .upstream)
    }

    /// The plan for an image from a fixture folder, as "URL (transport)" lines.
    static func plan(_ situation: String, image: String = "registry.example.com/app:1", _ containerd: Containerd) throws -> Plan {
        let root = try Fixtures.url("containerd/\(situation)").path
        return try HostsConfiguration.hostsDirectory(atPath: root).plan(for: ImageReference(parsing: image), containerd: containerd)
    }

    static func lines(_ plan: Plan) -> [String] {
        plan.attempts.map { "\($0.manifestURL(for: plan.image)) (\($0.transport.kind))" }
    }

    @Test("version ranges: backported fixes, lines before and after, upper bounds") func ranges() {
        let httpsFirst = ContainerdBehavior.httpsFirstForHTTPHostWithTLS.versions
        #expect(!httpsFirst.contains(ContainerdVersion(1, 6, 24)) && httpsFirst.contains(ContainerdVersion(1, 6, 25)))
        #expect(!httpsFirst.contains(ContainerdVersion(1, 7, 6)) && httpsFirst.contains(ContainerdVersion(1, 7, 7)))
        #expect(httpsFirst.contains(ContainerdVersion(2, 0, 0)) && !httpsFirst.contains(ContainerdVersion(1, 5, 99)))
        let redaction = ContainerdBehavior.criRedactsURLQuery.versions
        #expect(!redaction.contains(ContainerdVersion(1, 6, 39)))
        #expect(!redaction.contains(ContainerdVersion(2, 1, 5)) && redaction.contains(ContainerdVersion(2, 1, 6)))
        #expect(redaction.contains(ContainerdVersion(2, 3, 0)))
        let rejected = ContainerdBehavior.fileWithoutHostTableRejected.versions
        #expect(rejected.contains(ContainerdVersion(1, 6, 39)) && rejected.contains(ContainerdVersion(1, 7, 31)))
        #expect(!rejected.contains(ContainerdVersion(1, 7, 32)) && !rejected.contains(ContainerdVersion(2, 0, 0)))
        #expect(ContainerdBehavior.httpsFirstOnAnyPort.versions.contains(ContainerdVersion(1, 7, 7)))
        #expect(!ContainerdBehavior.httpsFirstOnAnyPort.versions.contains(ContainerdVersion(1, 7, 8)))
    }

    @Test("builds: rewrites only in K3s's, the default host without a server line only upstream") func builds() {
        #expect(Self.k3s(2, 1, 5).has(.rewrites) && !Self.upstream(2, 1, 5).has(.rewrites))
        #expect(!Self.k3s(1, 7, 34).has(.defaultHostWithoutServerLine) && Self.upstream(1, 7, 34).has(.defaultHostWithoutServerLine))
    }

    @Test("--containerd values", arguments: [
        ("1.7", false, "containerd 1.7.34 (K3s build)"), ("1.7.24", true, "containerd 1.7.24 (upstream)"),
        ("v1.6.20", true, "containerd 1.6.20 (upstream)"), ("2.1.5-k3s1", false, "containerd 2.1.5 (K3s build)"),
        ("2.1.5-k3s1.33", false, "containerd 2.1.5 (K3s build)"), ("2.3", false, "containerd 2.3.4 (K3s build)"),
    ])
    func parsing(_ text: String, _ upstream: Bool, _ expected: String) throws {
        #expect(try Containerd.parse(text, upstream: upstream).description == expected)
    }

    @Test("unknown --containerd values name the known versions") func parsingErrors() {
        for text in ["1.5", "3.0", "1", "1.7.x", "latest", ""] {
            #expect(throws: ContainerdVersionError.self) { try Containerd.parse(text, upstream: false) }
        }
        do {
            _ = try Containerd.parse("1.5", upstream: false)
        } catch {
            #expect(error.description == "unknown containerd version \"1.5\"; known: 1.6, 1.7, 2.0, 2.1, 2.2, 2.3 (optionally with a patch, e.g. 1.7.24, or a K3s build, e.g. 2.1.5-k3s1)")
        }
        #expect(throws: ContainerdVersionError.self) { try Containerd.parse("2.1.5-k3s1", upstream: true) }
    }

    @Test("--k3s-version picks the containerd that release embeds", arguments: [
        ("v1.30.4+k3s1", "1.7.20"), ("v1.31.5+k3s1", "1.7.23"), ("v1.31.6+k3s1", "2.0.2"), ("v1.33.5+k3s1", "2.1.4"),
        ("v1.34.11+k3s1", "2.2.7"), ("v1.36.2+k3s2", "2.3.2"), ("v1.36", "2.3.4"), ("1.32.0", "1.7.23"),
    ])
    func k3sReleases(_ release: String, _ containerd: String) throws {
        let model = try Containerd.forK3s(release)
        #expect(model.version.description == containerd)
        #expect(model.build == .k3s)
    }

    @Test("unknown K3s releases are errors") func k3sErrors() {
        for text in ["v2.0.0+k3s1", "v1.27.1+k3s1", "nope"] {
            #expect(throws: ContainerdVersionError.self) { try Containerd.forK3s(text) }
        }
    }

    @Test("the default is the stable K3s line's containerd, K3s's build") func defaultModel() {
        #expect(Containerd.default == Self.k3s(2, 3, 4))
    }

    @Test("no server line: K3s's build stops, upstream tries the default host last") func noServer() throws {
        #expect(Self.lines(try Self.plan("no-server", Self.k3s(2, 1, 5))) == ["https://mirror.example.com/v2/app/manifests/1?ns=registry.example.com (https-system-trust)"])
        let upstream = try Self.plan("no-server", Self.upstream(1, 6, 20))
        #expect(Self.lines(upstream) == ["https://mirror.example.com/v2/app/manifests/1?ns=registry.example.com (https-system-trust)",
                                         "https://registry.example.com/v2/app/manifests/1 (https-system-trust)"])
        #expect(upstream.attempts.last?.reason == "default endpoint (no hosts.toml server line), tried last")
    }

    @Test("rewrite tables: applied by K3s's build, ignored upstream") func rewrites() throws {
        let k3s = try Self.plan("rewrite", image: "docker.io/library/nginx:1", Self.k3s(2, 1, 5))
        #expect(k3s.attempts.first?.repository == "hub/nginx")
        let upstream = try Self.plan("rewrite", image: "docker.io/library/nginx:1", Self.upstream(2, 1, 5))
        #expect(upstream.attempts.first?.repository == "library/nginx")
        #expect(upstream.attempts.first?.rewrite == nil)
    }

    @Test("http:// with TLS settings: HTTPS first, by version and port", arguments: [
        ("http-tls-port", (1, 6, 24), "plain-http"), ("http-tls-port", (1, 6, 25), "https-then-http"),
        ("http-tls-port", (1, 7, 6), "plain-http"), ("http-tls-port", (1, 7, 7), "https-then-http"),
        ("http-tls-port", (2, 2, 7), "https-then-http"),
        ("http-tls-no-port", (1, 6, 39), "plain-http"), ("http-tls-no-port", (1, 7, 7), "https-then-http"),
        ("http-tls-no-port", (1, 7, 8), "plain-http"), ("http-tls-no-port", (1, 7, 23), "plain-http"),
        ("http-tls-no-port", (1, 7, 24), "https-then-http"), ("http-tls-no-port", (2, 0, 0), "https-then-http"),
        ("http-tls-port-80", (1, 7, 7), "https-then-http"), ("http-tls-port-80", (1, 7, 8), "plain-http"),
        ("http-tls-port-80", (2, 3, 4), "plain-http"),
    ])
    func httpsFirst(_ situation: String, _ version: (Int, Int, Int), _ kind: String) throws {
        let plan = try Self.plan(situation, Self.k3s(version.0, version.1, version.2))
        #expect(plan.attempts.first?.transport.kind == kind)
    }

    @Test("a file without [host]: ignored up to 1.7.31, read from 1.7.32 and in 2.x") func noHostTable() throws {
        let old = try Self.plan("no-host-table", Self.k3s(1, 7, 31))
        #expect(old.ignoredFile?.reason == "invalid `host` tree")
        #expect(Self.lines(old) == ["https://registry.example.com/v2/app/manifests/1 (https-system-trust)"])
        for containerd in [Self.k3s(1, 7, 32), Self.k3s(2, 0, 0)] {
            let plan = try Self.plan("no-host-table", containerd)
            #expect(plan.ignoredFile == nil)
            #expect(Self.lines(plan) == ["https://mirror.example.com/v2/app/manifests/1?ns=registry.example.com (https-system-trust)"])
        }
    }

    @Test("the referrers capability: known from 2.2, before it the whole file is ignored") func referrers() throws {
        let old = try Self.plan("referrers", Self.k3s(2, 1, 9))
        #expect(old.ignoredFile?.reason == "unknown capability referrers")
        #expect(Self.lines(old) == ["https://registry.example.com/v2/app/manifests/1 (https-system-trust)"])
        #expect(Self.lines(try Self.plan("referrers", Self.k3s(2, 2, 0))) == ["https://mirror.example.com/v2/app/manifests/1?ns=registry.example.com (https-system-trust)"])
    }

    @Test("a hosts.toml that is not TOML is ignored: the default host, and the plan says why") func badToml() throws {
        let plan = try Self.plan("bad-toml", Self.k3s(2, 3, 4))
        #expect(Self.lines(plan) == ["https://registry.example.com/v2/app/manifests/1 (https-system-trust)"])
        #expect(plan.ignoredFile?.file.hasSuffix("bad-toml/registry.example.com/hosts.toml") == true)
        #expect(PlanNotes.notes(for: plan).first?.contains("cannot decode") == true)
    }

    @Test("an unreadable ca file fails the pull before any request, in containerd's words") func unreadableCA() throws {
        let plan = try Self.plan("unreadable-ca", Self.k3s(2, 1, 5))
        let path = try Fixtures.url("containerd/unreadable-ca/registry.example.com").path + "/missing-ca.pem"
        #expect(plan.unreadableTLSFile?.message == "unable to read CA cert \"\(path)\": open \(path): no such file or directory")
        #expect(plan.tlsFileFailsPull)
    }

    @Test("a tag needs pull and resolve; a digest needs pull") func capabilities() throws {
        let byTag = try Self.plan("pull-only", Self.k3s(2, 1, 5))
        #expect(byTag.attempts.isEmpty)
        #expect(byTag.skipped.map(\.endpoint.host) == ["resolve-only.example.com", "pull-only.example.com"])
        let digest = "registry.example.com/app@sha256:" + String(repeating: "a", count: 64)
        #expect(try Self.plan("pull-only", image: digest, Self.k3s(2, 1, 5)).attempts.map(\.endpoint.host) == ["pull-only.example.com"])
    }

    @Test("the plan says which other versions would try other hosts") func variants() throws {
        let root = try Fixtures.url("containerd/http-tls-no-port").path
        let configuration = HostsConfiguration.hostsDirectory(atPath: root)
        let image = try ImageReference(parsing: "registry.example.com/app:1")
        let plan = try configuration.plan(for: image, containerd: Self.k3s(2, 1, 5))
        let notes = PlanVariants.notes(for: plan, planning: try configuration.plans(for: image).plan)
        let url = "http://mirror.example.com/v2/app/manifests/1?ns=registry.example.com"
        #expect(notes == ["containerd 1.6.0–1.7.6 would instead try: 1. \(url) (plain-http)",
                          "containerd 1.7.8–1.7.23 would instead try: 1. \(url) (plain-http)"])
    }

    @Test("CRI and ctr framing, and the CRI's redaction", arguments: [
        ((1, 7, 29), "failed to pull and unpack image \"r/app:1\": failed to resolve reference \"r/app:1\": failed to do request: Head \"https://m/v2/app/manifests/1?ns=r\": EOF"),
        ((1, 7, 30), "failed to pull and unpack image \"r/app:1\": failed to resolve reference \"r/app:1\": failed to do request: Head \"https://m/v2/app/manifests/1?ns=%5BREDACTED%5D\": EOF"),
        ((2, 0, 11), "failed to pull and unpack image \"r/app:1\": failed to resolve reference \"r/app:1\": failed to do request: Head \"https://m/v2/app/manifests/1?ns=%5BREDACTED%5D\": EOF"),
        ((2, 1, 5), "failed to pull and unpack image \"r/app:1\": failed to resolve image: failed to do request: Head \"https://m/v2/app/manifests/1?ns=r\": EOF"),
        ((2, 2, 1), "failed to pull and unpack image \"r/app:1\": failed to resolve image: failed to do request: Head \"https://m/v2/app/manifests/1?ns=%5BREDACTED%5D\": EOF"),
    ])
    func wording(_ version: (Int, Int, Int), _ expected: String) {
        let inner = "failed to do request: Head \"https://m/v2/app/manifests/1?ns=r\": EOF"
        let containerd = Self.k3s(version.0, version.1, version.2)
        #expect(containerd.pullError(image: "r/app:1", resolveError: inner, client: .cri) == expected)
        #expect(containerd.pullError(image: "r/app:1", resolveError: inner, client: .ctr) == "ctr: failed to resolve reference \"r/app:1\": " + inner)
        // Registry credentials in the CRI config (K3s writes those of registries.yaml there) keep 2.1+ on the local pull.
        #expect(containerd.pullError(image: "r/app:1", resolveError: inner, client: .cri, registryAuthInCRIConfig: true)
            .hasPrefix("failed to pull and unpack image \"r/app:1\": failed to resolve reference \"r/app:1\": "))
    }

    @Test("a status error's wording and a Basic 401 without credentials, by version (as real ctr 1.6.20 and 1.7.34 print them)") func statusWording() {
        let url = "http://127.0.0.1:5001/v2/library/app/manifests/v1?ns=127.0.0.1%3A5000"
        let status = ResolverError.status(url: url, code: 401)
        let basic = ResolverError.basicWithoutCredentials(url: url)
        let old = Self.upstream(1, 6, 20), new = Self.upstream(1, 7, 34)
        #expect(status.text(for: old) == "pulling from host 127.0.0.1:5001 failed with status code [manifests v1]: 401 Unauthorized")
        #expect(status.text(for: new) == "unexpected status from HEAD request to \(url): 401 Unauthorized")
        #expect(basic.text(for: old) == "pulling from host 127.0.0.1:5001 failed with status code [manifests v1]: 401 Unauthorized")
        #expect(basic.text(for: new) == "pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials")
        #expect(basic.text(for: Self.upstream(1, 7, 7)) == "unexpected status from HEAD request to \(url): 401 Unauthorized")
        // In 2.x the ranking puts the authorization error below a 404.
        #expect(basic.priority(for: Self.upstream(2, 1, 9)) == 1 && status.priority(for: Self.upstream(2, 1, 9)) == 3)
        #expect(ResolverError.notFound(reference: "r/a:1").priority(for: new) == 2)
    }
}
