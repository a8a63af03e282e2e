import Foundation
import HawserCore
@testable import HawserRegistry
import Testing
import HawserTestSupport

@Suite("TLS modes against docker-registry")
struct TLSTests {
    @Test("HTTPS with the test CA as ca_file works; without it the certificate is refused")
    func customCA() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let certificates = try TestCertificates.make(in: work)
        try await withRegistry(tls: .init(certificate: certificates.serverCertificate, key: certificates.serverKey)) { registry in
            try await withPool { pool in
                let trusted = TransportMode.https(TLSSettings(caFiles: [certificates.caCertificate]))
                let plan = try PlanFactory.direct("\(registry.host)/tls/ca:v1", url: registry.baseURL, transport: trusted)
                let image = try await seed(plan, pool: pool, in: work)
                #expect(try await pull(plan, pool: pool, in: work).manifest.digest == image.manifest.digest)

                let systemTrust = try PlanFactory.direct("\(registry.host)/tls/ca:v1", url: registry.baseURL, transport: .https(TLSSettings()))
                await #expect { try await pull(systemTrust, pool: pool, in: work, name: "refused") } throws: { primaryCode($0) == .tls }
            }
        }
    }

    @Test("a registry requiring a client certificate accepts hawser's and refuses a connection without one")
    func mutualTLS() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let certificates = try TestCertificates.make(in: work)
        let tls = RegistryServer.TLS(certificate: certificates.serverCertificate, key: certificates.serverKey, clientCAs: [certificates.caCertificate])
        try await withRegistry(tls: tls) { registry in
            try await withPool { pool in
                let client = TLSSettings.ClientCertificate(certificateFile: certificates.clientCertificate, keyFile: certificates.clientKey)
                let mode = TransportMode.https(TLSSettings(caFiles: [certificates.caCertificate], clientCertificates: [client]))
                let plan = try PlanFactory.direct("\(registry.host)/tls/mtls:v1", url: registry.baseURL, transport: mode)
                let image = try await seed(plan, pool: pool, in: work)
                #expect(try await pull(plan, pool: pool, in: work).manifest.digest == image.manifest.digest)

                let withoutClient = try PlanFactory.direct("\(registry.host)/tls/mtls:v1", url: registry.baseURL,
                                                           transport: .https(TLSSettings(caFiles: [certificates.caCertificate])))
                // TLS 1.3: the client's handshake completes before the server checks for a client
                // certificate, so the refusal arrives either as a TLS alert or as a closed
                // connection, depending on timing. Both are correct; nothing else is.
                await #expect { try await pull(withoutClient, pool: pool, in: work, name: "refused") } throws: { error in
                    let code = primaryCode(error)
                    return code == .tls || code == .transport
                }
            }
        }
    }

    @Test("skip_verify is HTTPS without verification: an untrusted certificate is accepted, and the traffic is TLS")
    func skipVerify() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let certificates = try TestCertificates.make(in: work)
        try await withRegistry(tls: .init(certificate: certificates.untrustedServerCertificate, key: certificates.untrustedServerKey)) { registry in
            try await withPool { pool in
                let plan = try PlanFactory.direct("\(registry.host)/tls/skip:v1", url: registry.baseURL,
                                                  transport: .https(TLSSettings(skipVerify: true)))
                let image = try await seed(plan, pool: pool, in: work)
                #expect(try await pull(plan, pool: pool, in: work).manifest.digest == image.manifest.digest)

                let verifying = try PlanFactory.direct("\(registry.host)/tls/skip:v1", url: registry.baseURL,
                                                       transport: .https(TLSSettings(caFiles: [certificates.caCertificate])))
                await #expect { try await pull(verifying, pool: pool, in: work, name: "refused") } throws: { primaryCode($0) == .tls }
            }
        }
    }

    @Test("HTTPS to a plain-HTTP registry says 'HTTP response to HTTPS client'; https-then-http falls back to HTTP")
    func httpsToPlainHTTP() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { registry in
            try await withPool { pool in
                let plain = try PlanFactory.direct("\(registry.host)/tls/fallback:v1", url: registry.baseURL)
                let image = try await seed(plain, pool: pool, in: work)

                let httpsOnly = try PlanFactory.direct("\(registry.host)/tls/fallback:v1", url: "https://\(registry.host)",
                                                       transport: .https(TLSSettings(skipVerify: true)))
                await #expect { try await pull(httpsOnly, pool: pool, in: work, name: "refused") } throws: { primaryCode($0) == .httpResponseToHTTPS }

                let fallback = try PlanFactory.direct("\(registry.host)/tls/fallback:v1", url: registry.baseURL,
                                                      transport: .httpsThenHTTP(TLSSettings(skipVerify: true)))
                let result = try await pull(fallback, pool: pool, in: work)
                #expect(result.manifest.digest == image.manifest.digest)
                // The summary says which of the two served.
                #expect(result.attempts.first?.servedOver == "plain HTTP after the HTTPS attempt")
                #expect(try await pull(plain, pool: pool, in: work, name: "plain").attempts.first?.servedOver == "plain HTTP")
            }
        }
    }
}

@Suite("No TLS on plain HTTP")
struct PlainHTTPHasNoTLSTests {
    @Test("the sniffing proxy does see TLS when HTTPS is used (so its silence on plain HTTP means something)")
    func proxySeesTLS() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let certificates = try TestCertificates.make(in: work)
        try await withRegistry(tls: .init(certificate: certificates.serverCertificate, key: certificates.serverKey)) { registry in
            try await withPool { pool in
                let proxy = try await SniffingProxy.start(forwardingTo: registry.port)
                let plan = try PlanFactory.direct("\(proxy.host)/tls/sniff:v1", url: "https://\(proxy.host)",
                                                  transport: .https(TLSSettings(caFiles: [certificates.caCertificate])))
                let client = RegistryClient(attempt: try #require(plan.attempts.first), credentials: nil, access: .pull, pool: pool, tokenCache: TokenCache())
                #expect(try await client.ping() == 200)
                await proxy.stop()
                #expect(proxy.sawTLS)
            }
        }
    }
}
