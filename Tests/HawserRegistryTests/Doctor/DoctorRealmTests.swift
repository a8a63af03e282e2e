import Foundation
import HawserCore
import HawserDoctor
@testable import HawserRegistry
import Testing

/// A Bearer realm on another host (issue 10, row 11): credentials go there, as
/// containerd sends them; before, nobody was told. Now doctor says where they
/// go, and warns when the realm is plain HTTP.
@Suite("doctor: where credentials go")
struct DoctorRealmTests {
    @Test("a plain-HTTP realm on another host: doctor warns that the credentials go there")
    func plainHTTPRealm() async throws {
        try await withTestServer({ request in
            request.path.hasSuffix("/token") ? .json(200, #"{"token":"t","expires_in":300}"#) : TestHTTPServer.Response(status: 404)
        }) { tokens in
            let manifest = Array(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"x","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}"#.utf8)
            let challenge = "Bearer realm=\"\(tokens.baseURL)/token\",service=\"registry\""
            try await withTestServer({ request in
                guard request.header("Authorization") == "Bearer t" else {
                    return .json(401, #"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#, headers: [("WWW-Authenticate", challenge)])
                }
                if request.path.contains("/manifests/") {
                    return TestHTTPServer.Response(status: 200, headers: [("Content-Type", MediaType.ociManifest)], body: manifest)
                }
                return TestHTTPServer.Response(status: 200)
            }) { registry in
                let yaml = """
                mirrors:
                  realm.test:
                    endpoint:
                      - "http://\(registry.host)"
                configs:
                  "\(registry.host)":
                    auth:
                      username: u
                      password: p
                """
                let loaded = try RegistriesConfig.parse(yaml, file: "registries.yaml")
                let options = RenderOptions(disableDefaultEndpoint: true)
                let configuration = HostsConfiguration.fromRegistries(loaded.config, path: "registries.yaml", options: options)
                let report = try await Doctor(configuration: configuration, options: options, timeout: .seconds(5))
                    .diagnose(ImageReference(parsing: "realm.test/app:v1"))
                #expect(report.pullable)
                let checks = report.attempts.first?.checks ?? []
                let warning = try #require(checks.first { $0.kind == .authentication && $0.status == .warning })
                #expect(warning.summary.contains("over plain HTTP"))
                #expect(warning.summary.contains(tokens.baseURL))
                #expect(tokens.requests.contains { $0.header("Authorization")?.hasPrefix("Basic ") == true })
            }
        }
    }
}
