import Foundation
import HawserCore
import HawserDoctor
@testable import HawserRegistry
import Testing
import HawserTestSupport

/// `hawser doctor` against real registries on 127.0.0.1: every situation of
/// issue 4, each asserting the root-cause code and the key the fix names.
@Suite("doctor on loopback", .serialized)
struct DoctorLiveTests {
    static let user = "hawser"
    static let password = "correct-horse"

    func diagnose(_ yaml: String, image: String, disableDefault: Bool = false, containerd: Containerd = .default) async throws -> DoctorReport {
        let loaded = try RegistriesConfig.parse(yaml, file: "registries.yaml")
        let options = RenderOptions(disableDefaultEndpoint: disableDefault)
        let configuration = HostsConfiguration.fromRegistries(loaded.config, path: "registries.yaml", options: options, findings: loaded.findings)
        return try await Doctor(configuration: configuration, options: options, containerd: containerd, timeout: .seconds(10))
            .diagnose(ImageReference(parsing: image))
    }

    func seedApp(_ registry: RegistryServer, work: TemporaryDirectory, transport: TransportMode? = nil,
                 credentials: RegistryCredentials? = nil) async throws {
        try await withPool { pool in
            let plan = try PlanFactory.direct("\(registry.host)/library/app:v1", url: registry.baseURL, transport: transport,
                                              credentialsKey: credentials == nil ? nil : registry.host)
            _ = try await seed(plan, pool: pool, in: work, credentials: { _ in credentials })
        }
    }

    func htpasswd(_ work: TemporaryDirectory) throws -> String {
        let line = try Tools.run(try Tools.require(Tools.htpasswd, package: "apache2-utils"), ["-Bbn", Self.user, Self.password])
        try line.write(toFile: work.file("htpasswd"), atomically: true, encoding: .utf8)
        return work.file("htpasswd")
    }

    @Test("the image can be pulled: RC000, exit-worthy success") func pullable() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { registry in
            try await seedApp(registry, work: work)
            let report = try await diagnose("mirrors:\n  docker.io:\n    endpoint:\n      - http://\(registry.host)\n", image: "library/app:v1", disableDefault: true)
            #expect(report.rootCause.code == .pullable)
            #expect(report.pullable)
            #expect(report.fix == nil)
        }
    }

    @Test("a plain-HTTP registry configured as https (with insecure_skip_verify): RC101") func plainAsHTTPS() async throws {
        try await withRegistry { registry in
            let yaml = "mirrors:\n  docker.io:\n    endpoint:\n      - https://\(registry.host)\nconfigs:\n  \"\(registry.host)\":\n    tls:\n      insecure_skip_verify: true\n"
            let report = try await diagnose(yaml, image: "library/app:v1", disableDefault: true)
            #expect(report.rootCause.code == .plainHTTPRegistryAsHTTPS)
            #expect(report.rootCause.summary.contains("insecure_skip_verify does not change that"))
            #expect(report.fix?.key == "mirrors.\"docker.io\".endpoint")
            #expect(report.fix?.write == "- \"http://\(registry.host)\"")
            #expect(report.containerdError?.contains("server gave HTTP response to HTTPS client") == true)
        }
    }

    @Test("a plain-HTTP registry with only insecure_skip_verify on its default (server) endpoint: RC101") func onlySkipVerify() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { registry in
            // containerd's view of `configs: {REGISTRY: {tls: {insecure_skip_verify: true}}}` for a registry whose name is not loopback.
            let folder = try work.subdirectory("certs.d/\(registry.host)")
            try "server = \"https://\(registry.host)\"\nskip_verify = true\n".write(toFile: "\(folder)/hosts.toml", atomically: true, encoding: .utf8)
            let credentials = try RegistriesConfig.parse("configs:\n  \"\(registry.host)\":\n    tls:\n      insecure_skip_verify: true\n", file: "registries.yaml").config
            let configuration = HostsConfiguration.hostsDirectory(atPath: work.file("certs.d"), credentials: credentials)
            let report = try await Doctor(configuration: configuration, timeout: .seconds(10)).diagnose(ImageReference(parsing: "\(registry.host)/library/app:v1"))
            #expect(report.rootCause.code == .plainHTTPRegistryAsHTTPS)
            #expect(report.fix?.key == "mirrors.\"\(registry.host)\".endpoint")
            #expect(report.fix?.write?.contains("http://\(registry.host)") == true)
        }
    }

    @Test("a TLS registry configured as http://: RC102") func tlsAsHTTP() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let certificates = try TestCertificates.make(in: work)
        try await withRegistry(tls: .init(certificate: certificates.serverCertificate, key: certificates.serverKey)) { registry in
            let report = try await diagnose("mirrors:\n  docker.io:\n    endpoint:\n      - http://\(registry.host)\n", image: "library/app:v1", disableDefault: true)
            #expect(report.rootCause.code == .tlsRegistryAsHTTP)
            #expect(report.fix?.key == "mirrors.\"docker.io\".endpoint")
            #expect(report.fix?.write?.contains("https://\(registry.host)") == true)
        }
    }

    @Test("a mirror key with a port the image reference does not use: RC304") func mirrorKeyPort() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { registry in
            try await seedApp(registry, work: work)
            let yaml = "mirrors:\n  \"127.0.0.1:80\":\n    endpoint:\n      - http://\(registry.host)\n"
            let report = try await diagnose(yaml, image: "127.0.0.1/library/app:v1")
            #expect(report.rootCause.code == .mirrorNotApplied)
            #expect(report.fix?.key == "mirrors.\"127.0.0.1\"")
            #expect(report.fix?.line == 2)
        }
    }

    @Test("TLS settings under configs.docker.io never reach the mirror host: RC107") func tlsUnderDockerIO() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let certificates = try TestCertificates.make(in: work)
        try await withRegistry(tls: .init(certificate: certificates.serverCertificate, key: certificates.serverKey)) { registry in
            let yaml = "mirrors:\n  docker.io:\n    endpoint:\n      - https://\(registry.host)\nconfigs:\n  docker.io:\n    tls:\n      ca_file: \(certificates.caCertificate)\n"
            let report = try await diagnose(yaml, image: "library/app:v1", disableDefault: true)
            #expect(report.rootCause.code == .tlsSettingsUnderWrongKey)
            #expect(report.fix?.key == "configs.\"\(registry.host)\".tls")
            #expect(report.fix?.line == 7)
        }
    }

    @Test("credentials under a key that is not the contacted host: RC203") func credentialsWrongKey() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry(auth: .htpasswd(path: try htpasswd(work))) { registry in
            let yaml = "mirrors:\n  docker.io:\n    endpoint:\n      - http://\(registry.host)\nconfigs:\n  docker.io:\n    auth:\n      username: \(Self.user)\n      password: \(Self.password)\n"
            let report = try await diagnose(yaml, image: "library/app:v1", disableDefault: true)
            #expect(report.rootCause.code == .credentialsUnderWrongKey)
            #expect(report.fix?.key == "configs.\"\(registry.host)\".auth")
        }
    }

    @Test("a wrong password: RC202") func wrongPassword() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry(auth: .htpasswd(path: try htpasswd(work))) { registry in
            let yaml = "mirrors:\n  docker.io:\n    endpoint:\n      - http://\(registry.host)\nconfigs:\n  \"\(registry.host)\":\n    auth:\n      username: \(Self.user)\n      password: wrong\n"
            let report = try await diagnose(yaml, image: "library/app:v1", disableDefault: true)
            #expect(report.rootCause.code == .wrongCredentials)
            #expect(report.fix?.key == "configs.\"\(registry.host)\".auth")
            #expect(report.fix?.line == 7)
            #expect(!"\(report.rootCause)".contains("wrong\""))
        }
    }

    @Test("no credentials for a private repository: RC201") func noCredentials() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry(auth: .htpasswd(path: try htpasswd(work))) { registry in
            let report = try await diagnose("mirrors:\n  docker.io:\n    endpoint:\n      - http://\(registry.host)\n", image: "library/app:v1", disableDefault: true)
            #expect(report.rootCause.code == .noCredentials)
            #expect(report.fix?.key == "configs.\"\(registry.host)\".auth")
        }
    }

    @Test("an untrusted certificate: RC103") func untrusted() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let certificates = try TestCertificates.make(in: work)
        try await withRegistry(tls: .init(certificate: certificates.untrustedServerCertificate, key: certificates.untrustedServerKey)) { registry in
            let report = try await diagnose("mirrors:\n  docker.io:\n    endpoint:\n      - https://\(registry.host)\n", image: "library/app:v1", disableDefault: true)
            #expect(report.rootCause.code == .untrustedCertificate)
            #expect(report.fix?.key == "configs.\"\(registry.host)\".tls.ca_file")
            #expect(report.containerdError?.contains("x509: certificate signed by unknown authority") == true)
        }
    }

    @Test("a certificate without the right name: RC104, the names it holds") func wrongName() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let certificates = try TestCertificates.make(in: work)
        let openssl = try Tools.require(Tools.openssl, package: "openssl")
        try "basicConstraints=CA:FALSE\nsubjectAltName=DNS:registry.wrong.example\nextendedKeyUsage=serverAuth\n".write(toFile: work.file("wrong.ext"), atomically: true, encoding: .utf8)
        try Tools.run(openssl, ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", work.file("wrong.key"),
                                "-out", work.file("wrong.csr"), "-subj", "/CN=registry.wrong.example"])
        try Tools.run(openssl, ["x509", "-req", "-in", work.file("wrong.csr"), "-CA", certificates.caCertificate, "-CAkey", work.file("ca.key"),
                                "-CAcreateserial", "-out", work.file("wrong.crt"), "-days", "2", "-extfile", work.file("wrong.ext")])
        try await withRegistry(tls: .init(certificate: work.file("wrong.crt"), key: work.file("wrong.key"))) { registry in
            let yaml = "mirrors:\n  docker.io:\n    endpoint:\n      - https://\(registry.host)\nconfigs:\n  \"\(registry.host)\":\n    tls:\n      ca_file: \(certificates.caCertificate)\n"
            let report = try await diagnose(yaml, image: "library/app:v1", disableDefault: true)
            #expect(report.rootCause.code == .certificateNameMismatch)
            #expect(report.rootCause.summary.contains("registry.wrong.example"))
            #expect(report.fix?.key == "mirrors.\"docker.io\".endpoint")
        }
    }

    @Test("a mirror that answers 404 while the fallback is unreachable: RC301; 1.7 shows the refusal, 2.x \"not found\"") func notOnMirror() async throws {
        try await withRegistry { registry in
            let unused = try FreePort.next()
            let image = "127.0.0.1:\(unused)/library/app:v1"
            let yaml = "mirrors:\n  \"127.0.0.1:\(unused)\":\n    endpoint:\n      - http://\(registry.host)\n"
            let old = try await diagnose(yaml, image: image, containerd: Containerd(version: ContainerdVersion(1, 7, 34), build: .k3s))
            #expect(old.rootCause.code == .imageNotOnMirror)
            #expect(old.fix?.key == "mirrors.\"127.0.0.1:\(unused)\".endpoint")
            // The fallback is the server line K3s writes for a loopback key with a port: http://, refused.
            #expect(old.containerdError == "failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": "
                + "failed to do request: Head \"http://127.0.0.1:\(unused)/v2/library/app/manifests/v1\": dial tcp 127.0.0.1:\(unused): connect: connection refused")
            #expect(old.containerdExplanation?.contains("attempt 2") == true)
            let new = try await diagnose(yaml, image: image, containerd: Containerd(version: ContainerdVersion(2, 1, 5), build: .k3s))
            #expect(new.rootCause.code == .imageNotOnMirror)
            #expect(new.containerdError == "failed to pull and unpack image \"\(image)\": failed to resolve image: \(image): not found")
        }
    }

    @Test("a rewrite that produces a repository the mirror does not have: RC302") func rewrite() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { registry in
            try await seedApp(registry, work: work)
            let unused = try FreePort.next()
            let yaml = "mirrors:\n  \"127.0.0.1:\(unused)\":\n    endpoint:\n      - http://\(registry.host)\n    rewrite:\n      \"^library/(.*)\": \"mirrored/$1\"\n"
            let report = try await diagnose(yaml, image: "127.0.0.1:\(unused)/library/app:v1")
            #expect(report.rootCause.code == .rewriteToMissingRepository)
            #expect(report.rootCause.summary.contains("mirrored/app"))
            #expect(report.fix?.key == "mirrors.\"127.0.0.1:\(unused)\".rewrite")
            #expect(report.fix?.line == 6)
        }
    }

    @Test("a registry that requires a client certificate none is configured for: RC106") func clientCertificate() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let certificates = try TestCertificates.make(in: work)
        let tls = RegistryServer.TLS(certificate: certificates.serverCertificate, key: certificates.serverKey, clientCAs: [certificates.caCertificate])
        try await withRegistry(tls: tls) { registry in
            let yaml = "mirrors:\n  docker.io:\n    endpoint:\n      - https://\(registry.host)\nconfigs:\n  \"\(registry.host)\":\n    tls:\n      ca_file: \(certificates.caCertificate)\n"
            let report = try await diagnose(yaml, image: "library/app:v1", disableDefault: true)
            #expect(report.rootCause.code == .clientCertificateRequired)
            #expect(report.fix?.key == "configs.\"\(registry.host)\".tls.cert_file")
        }
    }

    @Test("a registry that refuses connections: RC002") func refused() async throws {
        let unused = try FreePort.next()
        let report = try await diagnose("mirrors:\n  docker.io:\n    endpoint:\n      - http://127.0.0.1:\(unused)\n", image: "library/app:v1", disableDefault: true)
        #expect(report.rootCause.code == .connectionRefused)
        #expect(report.fix?.key == "mirrors.\"docker.io\".endpoint")
        #expect(report.attempts.first?.checks.contains { $0.kind == .tcpConnect && $0.status == .failed } == true)
    }
}
