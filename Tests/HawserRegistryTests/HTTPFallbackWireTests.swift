import Foundation
import HawserCore
import HawserDoctor
@testable import HawserRegistry
import HawserTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// containerd's HTTP fallback (semantics.md §4, §6), from a registries.yaml to
/// the bytes on the wire. An `http://` host with TLS settings is tried over
/// HTTPS first; it falls back to HTTP when the server answers in HTTP, and after
/// a refused connection only when the endpoint has no port.
@Suite("HTTPS first, then HTTP: on the wire")
struct HTTPFallbackWireTests {
    @Test("http:// with TLS settings in front of a plain-HTTP registry: a TLS handshake first, then plain HTTP")
    func tlsFirstThenHTTP() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { registry in
            try await withPool { pool in
                let image = try await seed(PlanFactory.direct("\(registry.host)/library/app:v1", url: registry.baseURL), pool: pool, in: work)
                let proxy = try await SniffingProxy.start(forwardingTo: registry.port)
                let config = try K3sConfig("""
                    mirrors:
                      docker.io:
                        endpoint:
                          - http://\(proxy.host)
                    configs:
                      "\(proxy.host)":
                        tls:
                          insecure_skip_verify: true
                    """, in: work, options: RenderOptions(disableDefaultEndpoint: true))
                #expect(try config.plan("library/app:v1").attempts.map(\.transport) == [.httpsThenHTTP(TLSSettings(skipVerify: true))])
                let result = try await config.pull("library/app:v1", pool: pool, in: work)
                await proxy.stop()
                #expect(result.manifest.digest == image.manifest.digest)
                #expect(result.attempts.map(\.outcome) == [.served])
                // The first connection opens with a TLS handshake record; once the server has
                // answered it in HTTP, every later connection speaks plain HTTP.
                let kinds = proxy.connectionKinds
                #expect(kinds.first == "tls", "connections: \(kinds)")
                #expect(kinds.dropFirst().first == "HEAD", "connections: \(kinds)")
                #expect(kinds.filter { $0 == "tls" }.count == 1, "connections: \(kinds)")
                #expect(kinds.dropFirst().allSatisfy { $0 == "HEAD" || $0 == "GET" }, "connections: \(kinds)")
            }
        }
    }

    @Test("a TLS registry written http:// with a ca_file is pulled over TLS (no plain-HTTP request reaches it)")
    func tlsRegistryWrittenHTTP() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let certificates = try TestCertificates.make(in: work)
        try await withRegistry(tls: .init(certificate: certificates.serverCertificate, key: certificates.serverKey)) { registry in
            try await withPool { pool in
                let trusted = TransportMode.https(TLSSettings(caFiles: [certificates.caCertificate]))
                let image = try await seed(PlanFactory.direct("\(registry.host)/library/app:v1", url: registry.baseURL, transport: trusted),
                                           pool: pool, in: work)
                let proxy = try await SniffingProxy.start(forwardingTo: registry.port)
                let config = try K3sConfig("""
                    mirrors:
                      docker.io:
                        endpoint:
                          - http://\(proxy.host)
                    configs:
                      "\(proxy.host)":
                        tls:
                          ca_file: \(certificates.caCertificate)
                    """, in: work, options: RenderOptions(disableDefaultEndpoint: true))
                let result = try await config.pull("library/app:v1", pool: pool, in: work)
                await proxy.stop()
                #expect(result.manifest.digest == image.manifest.digest)
                #expect(result.servedBy.endpoint.description == "http://\(proxy.host)/v2")
                let kinds = proxy.connectionKinds
                #expect(!kinds.isEmpty)
                #expect(kinds.allSatisfy { $0 == "tls" }, "connections: \(kinds)")
                #expect(!registry.log.contains("client sent an HTTP request to an HTTPS server"))
            }
        }
    }

    @Test("refused HTTPS on an endpoint WITH a port: no fallback to HTTP, the HTTPS error is the attempt's")
    func refusedWithPortDoesNotFallBack() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let closed = try FreePort.next()
        let yaml = """
            mirrors:
              docker.io:
                endpoint:
                  - http://127.0.0.1:\(closed)
            configs:
              "127.0.0.1:\(closed)":
                tls:
                  insecure_skip_verify: true
            """
        let config = try K3sConfig(yaml, in: work, options: RenderOptions(disableDefaultEndpoint: true))
        #expect(try config.plan("library/app:v1").attempts.map(\.transport.kind) == ["https-then-http"])
        try await withPool { pool in
            do {
                _ = try await config.pull("library/app:v1", pool: pool, in: work)
                Issue.record("nothing listens on 127.0.0.1:\(closed): the pull must fail")
            } catch let error as AttemptsFailedError {
                #expect(error.attempts.map { $0.error?.code } == [.transport])
                let url = try #require(error.attempts.first?.error?.url)
                #expect(url == "https://127.0.0.1:\(closed)/v2/library/app/manifests/v1?ns=docker.io")
                #expect(error.attempts.first?.error?.reason == "connection refused (nothing listens on that port)")
            }
        }
        // The doctor follows the same rule.
        let report = try await Doctor(configuration: config.configuration, options: config.options, timeout: .seconds(10))
            .diagnose(ImageReference(parsing: "library/app:v1"))
        #expect(report.rootCause.code == .connectionRefused)
        #expect(report.attempts.map(\.fellBackToHTTP) == [false])
    }

    /// Binds 127.0.0.1:80 (root, in the loopback-only namespace scripts/test makes):
    /// without a port, HTTPS goes to 443 (refused) and HTTP to 80.
    @Test("refused HTTPS on an endpoint WITHOUT a port: containerd falls back to HTTP on port 80",
          .enabled(if: PrivilegedPorts.usable, "needs root and free ports 80/443 on 127.0.0.1: run through scripts/test (CI does)"))
    func refusedWithoutPortFallsBack() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry(port: 80) { registry in
            try await withPool { pool in
                let image = try await seed(PlanFactory.direct("127.0.0.1:80/library/app:v1", url: "http://127.0.0.1:80"), pool: pool, in: work)
                let yaml = """
                    mirrors:
                      docker.io:
                        endpoint:
                          - http://127.0.0.1
                    configs:
                      "127.0.0.1":
                        tls:
                          insecure_skip_verify: true
                    """
                let config = try K3sConfig(yaml, in: work, options: RenderOptions(disableDefaultEndpoint: true))
                #expect(try config.plan("library/app:v1").attempts.map(\.transport.kind) == ["https-then-http"])
                #expect(!FreePort.isListening(443))
                let result = try await config.pull("library/app:v1", pool: pool, in: work)
                #expect(result.manifest.digest == image.manifest.digest)
                #expect(result.attempts.map(\.outcome) == [.served])
                #expect(registry.log.contains("\"HEAD /v2/library/app/manifests/v1?ns=docker.io HTTP/1.1\" 200"))

                let report = try await Doctor(configuration: config.configuration, options: config.options, timeout: .seconds(10))
                    .diagnose(ImageReference(parsing: "library/app:v1"))
                #expect(report.rootCause.code == .pullable)
                #expect(report.attempts.map(\.fellBackToHTTP) == [true])
                #expect(report.attempts.first?.digest == image.manifest.digest.description)
            }
        }
    }
}

enum PrivilegedPorts {
    /// Root, and nothing on 127.0.0.1:80 or :443 (true in scripts/test's namespace).
    static var usable: Bool {
        geteuid() == 0 && !FreePort.isListening(80) && !FreePort.isListening(443)
    }
}
