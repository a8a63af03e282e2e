import Foundation
import HawserCore
@testable import HawserRegistry
import Testing
import HawserTestSupport

@Suite("Authentication against docker-registry")
struct AuthTests {
    static let username = "hawser"
    static let password = "s3cret-pass"
    static let refreshToken = "refresh-0123456789"

    @Test("htpasswd Basic auth: credentials from the host's configs entry (username/password or auth); none: 401")
    func htpasswdBasic() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let htpasswd = try Tools.require(Tools.htpasswd, package: "apache2-utils")
        let line = try Tools.run(htpasswd, ["-Bbn", Self.username, Self.password])
        try line.write(toFile: work.file("htpasswd"), atomically: true, encoding: .utf8)
        try await withRegistry(auth: .htpasswd(path: work.file("htpasswd"))) { registry in
            try await withPool { pool in
                let key = registry.host
                let credentials: @Sendable (String) -> RegistryCredentials? = { requested in
                    requested == key ? RegistryCredentials(username: Self.username, password: Self.password) : nil
                }
                let plan = try PlanFactory.direct("\(registry.host)/auth/basic:v1", url: registry.baseURL, credentialsKey: key)
                let image = try await seed(plan, pool: pool, in: work, credentials: credentials)

                let encoded: @Sendable (String) -> RegistryCredentials? = { _ in
                    RegistryCredentials(auth: Data("\(Self.username):\(Self.password)".utf8).base64EncodedString())
                }
                #expect(try await pull(plan, pool: pool, in: work, credentials: encoded).manifest.digest == image.manifest.digest)

                let anonymous = try PlanFactory.direct("\(registry.host)/auth/basic:v1", url: registry.baseURL)
                await #expect { try await pull(anonymous, pool: pool, in: work, name: "refused") } throws: { primaryCode($0) == .unauthorized }
                let wrong: @Sendable (String) -> RegistryCredentials? = { _ in RegistryCredentials(username: Self.username, password: "wrong") }
                await #expect { try await pull(plan, pool: pool, in: work, name: "wrong", credentials: wrong) } throws: { primaryCode($0) == .unauthorized }
            }
        }
    }

    @Test("token auth: push with Basic at the token service, anonymous pull token, identity token via OAuth2 POST")
    func tokenAuth() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let issuer = try await TokenIssuer.start(in: work, username: Self.username, password: Self.password, refreshToken: Self.refreshToken)
        defer { Task { await issuer.stop() } }
        let auth = RegistryServer.Auth.token(realm: issuer.realm, service: TokenIssuer.service, issuer: TokenIssuer.issuer,
                                             rootCertificateBundle: issuer.certificateBundle)
        try await withRegistry(auth: auth) { registry in
            try await withPool { pool in
                let key = registry.host
                let basic: @Sendable (String) -> RegistryCredentials? = { _ in RegistryCredentials(username: Self.username, password: Self.password) }
                let plan = try PlanFactory.direct("\(registry.host)/auth/token:v1", url: registry.baseURL, credentialsKey: key)
                let image = try await seed(plan, pool: pool, in: work, credentials: basic)
                #expect(issuer.server.requests.contains { $0.header("Authorization")?.hasPrefix("Basic ") == true })

                // Anonymous: the issuer grants pull without credentials.
                let anonymous = try PlanFactory.direct("\(registry.host)/auth/token:v1", url: registry.baseURL)
                #expect(try await pull(anonymous, pool: pool, in: work).manifest.digest == image.manifest.digest)

                // Pushing anonymously is refused.
                await #expect { try await seed(anonymous, pool: pool, in: work) } throws: { primaryCode($0) == .unauthorized }

                // identity_token: exchanged with a refresh_token grant (POST), good enough to push.
                let identity: @Sendable (String) -> RegistryCredentials? = { _ in RegistryCredentials(identityToken: Self.refreshToken) }
                let pushPlan = try PlanFactory.direct("\(registry.host)/auth/identity:v1", url: registry.baseURL, credentialsKey: key)
                _ = try await seed(pushPlan, pool: pool, in: work, credentials: identity)
                #expect(issuer.server.requests.contains { $0.method == "POST" && String(decoding: $0.body, as: UTF8.self).contains("grant_type=refresh_token") })
            }
        }
    }

    @Test("credentials never reach a host without a configs key, nor its token realm")
    func credentialsStayWithTheirHost() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let issuer = try await TokenIssuer.start(in: work, username: Self.username, password: Self.password, refreshToken: Self.refreshToken)
        defer { Task { await issuer.stop() } }
        let auth = RegistryServer.Auth.token(realm: issuer.realm, service: TokenIssuer.service, issuer: TokenIssuer.issuer,
                                             rootCertificateBundle: issuer.certificateBundle)
        try await withRegistry(auth: auth) { registry in
            try await withPool { pool in
                let basic: @Sendable (String) -> RegistryCredentials? = { _ in RegistryCredentials(username: Self.username, password: Self.password) }
                let direct = try PlanFactory.direct("\(registry.host)/auth/scoped:v1", url: registry.baseURL, credentialsKey: registry.host)
                let image = try await seed(direct, pool: pool, in: work, credentials: basic)

                // A mirror without a configs entry that challenges for a token (service "mirror"), then 404s.
                let realm = issuer.realm
                try await withTestServer({ request in
                    if request.header("Authorization") == nil {
                        return .json(401, #"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#,
                                     headers: [("WWW-Authenticate", #"Bearer realm="\#(realm)",service="mirror""#)])
                    }
                    return .json(404, #"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#)
                }) { mirror in
                    // configs are keyed by the host contacted: the registry's entry does not reach its mirror.
                    let config = try K3sConfig("""
                        mirrors:
                          "\(registry.host)":
                            endpoint:
                              - \(mirror.baseURL)
                        configs:
                          "\(registry.host)":
                            auth:
                              username: \(Self.username)
                              password: \(Self.password)
                        """, in: work)
                    let plan = try config.plan("\(registry.host)/auth/scoped:v1")
                    #expect(plan.attempts.map(\.credentialsKey) == [nil, registry.host])
                    let result = try await config.pull("\(registry.host)/auth/scoped:v1", pool: pool, in: work)
                    #expect(result.manifest.digest == image.manifest.digest)
                    #expect(result.attempts.first?.error?.code == .notFound)
                    let basicHeader = "Basic " + Data("\(Self.username):\(Self.password)".utf8).base64EncodedString()
                    #expect(!mirror.requests.contains { $0.header("Authorization") == basicHeader })
                    #expect(mirror.requests.contains { $0.header("Authorization")?.hasPrefix("Bearer ") == true })
                    let mirrorTokenRequests = issuer.server.requests.filter { $0.query["service"]?.first == "mirror" }
                    #expect(mirrorTokenRequests.count == 1)
                    #expect(mirrorTokenRequests.allSatisfy { $0.header("Authorization") == nil })
                }
            }
        }
    }
}
