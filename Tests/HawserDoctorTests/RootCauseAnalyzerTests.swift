import Testing
@testable import HawserCore
@testable import HawserDoctor

/// The analysis alone, on synthetic probe results: every root cause and the key its fix names.
@Suite("Root-cause analysis")
struct RootCauseAnalyzerTests {
    struct Scenario {
        let plan: Plan
        let config: RegistriesConfig

        init(_ yaml: String, image: String, options: RenderOptions = .init(), containerd: Containerd = .default) throws {
            config = try RegistriesConfig.parse(yaml, file: "registries.yaml").config
            plan = try HostsConfiguration.fromRegistries(config, path: "registries.yaml", options: options)
                .plan(for: ImageReference(parsing: image), containerd: containerd)
        }

        func report(_ failures: [Failure?]) -> DoctorReport {
            let diagnoses = zip(plan.attempts, failures).map { attempt, failure in
                AttemptDiagnosis(attempt: attempt, url: attempt.manifestURL(for: plan.image), checks: [], failure: failure,
                                 digest: failure == nil ? "sha256:\(String(repeating: "a", count: 64))" : nil)
            }
            return RootCauseAnalyzer(plan: plan, config: config, findings: []).report(diagnoses)
        }
    }

    static let refused = Failure(.connectionRefused, message: "refused", containerdMessage: "dial tcp: connect: connection refused")
    static let notFound = Failure(.notFound, message: "404", containerdMessage: "not found", status: 404)
    static let tlsToHTTP = Failure(.tlsToPlainHTTP, message: "tls to http", containerdMessage: "http: server gave HTTP response to HTTPS client")
    static let unauthorized = Failure(.unauthorized, message: "401", containerdMessage: "unexpected status from HEAD request to https://b/v2/: 401 Unauthorized", status: 401)
    static let v17 = Containerd(version: ContainerdVersion(1, 7, 34), build: .k3s)
    static let v21 = Containerd(version: ContainerdVersion(2, 1, 5), build: .k3s)
    static let cri17 = "failed to pull and unpack image \"docker.io/library/nginx:latest\": failed to resolve reference \"docker.io/library/nginx:latest\": "
    static let cri2 = "failed to pull and unpack image \"docker.io/library/nginx:latest\": failed to resolve image: "

    @Test("plain-HTTP registry written https:// -> RC101, fix the endpoint line") func plainAsHTTPS() throws {
        let scenario = try Scenario("mirrors:\n  docker.io:\n    endpoint:\n      - https://harbor.example.com:8080\n", image: "nginx",
                                    options: RenderOptions(disableDefaultEndpoint: true))
        let report = scenario.report([Self.tlsToHTTP])
        #expect(report.rootCause.code == .plainHTTPRegistryAsHTTPS)
        #expect(report.fix?.line == 4)
        #expect(report.fix?.write == "- \"http://harbor.example.com:8080\"")
        #expect(report.containerdError?.contains("server gave HTTP response to HTTPS client") == true)
    }

    @Test("only insecure_skip_verify -> RC101 says it never means HTTP") func onlySkipVerify() throws {
        let scenario = try Scenario("configs:\n  harbor.example.com:8080:\n    tls:\n      insecure_skip_verify: true\n", image: "harbor.example.com:8080/app:v1")
        let report = scenario.report([Self.tlsToHTTP])
        #expect(report.rootCause.code == .plainHTTPRegistryAsHTTPS)
        #expect(report.rootCause.summary.contains("insecure_skip_verify does not change that"))
        #expect(report.fix?.key == "mirrors.\"harbor.example.com:8080\".endpoint")
    }

    @Test("TLS registry written http:// -> RC102") func tlsAsHTTP() throws {
        let scenario = try Scenario("mirrors:\n  docker.io:\n    endpoint:\n      - http://r.example.com:80\n", image: "nginx")
        let failure = Failure(.plainHTTPToTLS, message: "plain to tls", containerdMessage: "400 Bad Request", status: 400)
        let report = scenario.report([failure, Self.refused])
        #expect(report.rootCause.code == .tlsRegistryAsHTTP)
        #expect(report.fix?.write?.contains("https://r.example.com:80") == true)
    }

    @Test("mirror key with a port the image does not use -> RC304") func portMismatch() throws {
        let scenario = try Scenario("mirrors:\n  harbor.example.com:80:\n    endpoint:\n      - http://harbor.example.com:80\n", image: "harbor.example.com/library/app:v1")
        let report = scenario.report([Self.tlsToHTTP])
        #expect(report.rootCause.code == .mirrorNotApplied)
        #expect(report.fix?.key == "mirrors.\"harbor.example.com\"")
    }

    @Test("TLS under configs.docker.io does not reach the mirror -> RC107, move it") func tlsWrongKey() throws {
        let scenario = try Scenario("mirrors:\n  docker.io:\n    endpoint:\n      - https://mirror.example.com:5443\nconfigs:\n  docker.io:\n    tls:\n      ca_file: /etc/ca.pem\n", image: "nginx")
        let untrusted = Failure(.untrustedCertificate, message: "unknown authority", containerdMessage: "x509: certificate signed by unknown authority")
        let report = scenario.report([untrusted, Self.refused])
        #expect(report.rootCause.code == .tlsSettingsUnderWrongKey)
        #expect(report.fix?.key == "configs.\"mirror.example.com:5443\".tls")
        #expect(report.fix?.write?.contains("ca_file: /etc/ca.pem") == true)
    }

    @Test("untrusted certificate without misplaced settings -> RC103, ca_file") func untrusted() throws {
        let scenario = try Scenario("mirrors:\n  docker.io:\n    endpoint:\n      - https://mirror.example.com:5443\n", image: "nginx")
        let untrusted = Failure(.untrustedCertificate, message: "unknown authority", containerdMessage: "x509")
        #expect(scenario.report([untrusted, Self.refused]).fix?.key == "configs.\"mirror.example.com:5443\".tls.ca_file")
    }

    @Test("credentials under another key -> RC203; wrong password -> RC202; none -> RC201") func credentials() throws {
        let wrongKey = try Scenario("mirrors:\n  docker.io:\n    endpoint:\n      - https://m.example.com\nconfigs:\n  docker.io:\n    auth: {username: u, password: p}\n", image: "nginx")
        let report = wrongKey.report([Self.unauthorized, Self.refused])
        #expect(report.rootCause.code == .credentialsUnderWrongKey)
        #expect(report.fix?.key == "configs.\"m.example.com\".auth")
        #expect(report.fix?.line == 7)

        let wrong = try Scenario("mirrors:\n  docker.io:\n    endpoint:\n      - https://m.example.com\nconfigs:\n  m.example.com:\n    auth: {username: u, password: p}\n", image: "nginx")
        let sent = Failure(.unauthorized, message: "401", containerdMessage: "401", status: 401, credentialsSent: true)
        #expect(wrong.report([sent, Self.refused]).rootCause.code == .wrongCredentials)
        #expect(wrong.report([sent, Self.refused]).fix?.key == "configs.\"m.example.com\".auth")

        let none = try Scenario("mirrors:\n  docker.io:\n    endpoint:\n      - https://m.example.com\n", image: "nginx")
        #expect(none.report([Self.unauthorized, Self.refused]).rootCause.code == .noCredentials)
    }

    @Test("mirror 404 then an unreachable fallback -> RC301; 1.7 shows the fallback's error, 2.x \"not found\"") func notOnMirror() throws {
        let yaml = "mirrors:\n  docker.io:\n    endpoint:\n      - http://m.example.com:80\n"
        let old = try Scenario(yaml, image: "nginx", containerd: Self.v17).report([Self.notFound, Self.refused])
        #expect(old.rootCause.code == .imageNotOnMirror)
        #expect(old.rootCause.attempt == 1)
        #expect(old.containerdError == Self.cri17 + "dial tcp: connect: connection refused")
        #expect(old.ctrError == "ctr: failed to resolve reference \"docker.io/library/nginx:latest\": dial tcp: connect: connection refused")
        #expect(old.containerdExplanation?.contains("attempt 2") == true)
        let new = try Scenario(yaml, image: "nginx", containerd: Self.v21).report([Self.notFound, Self.refused])
        #expect(new.rootCause.code == .imageNotOnMirror)
        #expect(new.containerdError == Self.cri2 + "docker.io/library/nginx:latest: not found")
        // The 2.1 report says what 1.x and 2.0 would have shown instead, and from which versions:
        // 1.x the refusal, 2.0 "not found" in the local pull's words (the CRI's transfer service is 2.1's).
        #expect(new.otherVersions.map(\.versions) == ["1.6.0–1.7.34", "2.0.0–2.0.11"])
        #expect(new.otherVersions.first?.message == Self.cri17 + "dial tcp: connect: connection refused")
        #expect(new.otherVersions.last?.message == Self.cri17 + "docker.io/library/nginx:latest: not found")
    }

    @Test("rewrite to a missing repository -> RC302 points at the rewrite line") func rewrite() throws {
        let scenario = try Scenario("mirrors:\n  docker.io:\n    endpoint:\n      - http://m.example.com:80\n    rewrite:\n      \"^library/(.*)\": \"mirror/$1\"\n", image: "nginx")
        let report = scenario.report([Self.notFound, Self.refused])
        #expect(report.rootCause.code == .rewriteToMissingRepository)
        #expect(report.fix?.line == 6)
        #expect(report.rootCause.summary.contains("mirror/nginx"))
    }

    @Test("refused, pullable, everything 404") func simpleCases() throws {
        let scenario = try Scenario("mirrors:\n  docker.io:\n    endpoint:\n      - http://m.example.com:80\n", image: "nginx")
        #expect(scenario.report([Self.refused, Self.refused]).rootCause.code == .connectionRefused)
        let pullable = scenario.report([Self.notFound, nil])
        #expect(pullable.rootCause.code == .pullable)
        #expect(pullable.fix == nil && pullable.containerdError == nil)
        let missing = scenario.report([Self.notFound, Self.notFound])
        #expect(missing.rootCause.code == .imageNotFound)
        #expect(missing.containerdError == Self.cri2 + "docker.io/library/nginx:latest: not found")
    }

    @Test("1.7 reports the first failure that is not a 404; 2.x ranks status > 404 > transport") func containerdChoice() throws {
        let yaml = "mirrors:\n  docker.io:\n    endpoint:\n      - http://a.example.com:80\n      - http://b.example.com:80\n"
        let old = try Scenario(yaml, image: "nginx", containerd: Self.v17)
        let new = try Scenario(yaml, image: "nginx", containerd: Self.v21)
        // 404, refused, 401: 1.7 keeps the refusal (first non-404), 2.x the 401 (highest rank).
        #expect(old.report([Self.notFound, Self.refused, Self.unauthorized]).containerdError == Self.cri17 + "dial tcp: connect: connection refused")
        #expect(new.report([Self.notFound, Self.refused, Self.unauthorized]).containerdError
            == Self.cri2 + "unexpected status from HEAD request to https://b/v2/: 401 Unauthorized")
        // Among equals the first wins, in both.
        let second = Failure(.connectionRefused, message: "refused", containerdMessage: "second refusal")
        #expect(new.report([Self.refused, second, Self.refused]).containerdError == Self.cri2 + "dial tcp: connect: connection refused")
        #expect(old.report([Self.refused, second, Self.refused]).containerdError == Self.cri17 + "dial tcp: connect: connection refused")
    }

    @Test("the CRI redacts ?ns= in transport errors from 1.7.30/2.0.8/2.1.6/2.2.1 on; ctr never") func redaction() throws {
        let yaml = "mirrors:\n  docker.io:\n    endpoint:\n      - https://m.example.com\n"
        let url = "https://m.example.com/v2/library/nginx/manifests/latest?ns=docker.io"
        let failure = Failure(.connectionRefused, message: "refused", containerdMessage: "failed to do request: Head \"\(url)\": dial tcp 10.0.0.1:443: connect: connection refused")
        let redacted = "failed to do request: Head \"https://m.example.com/v2/library/nginx/manifests/latest?ns=%5BREDACTED%5D\": dial tcp 10.0.0.1:443: connect: connection refused"
        for (version, redacts) in [((1, 7, 29), false), ((1, 7, 30), true), ((2, 1, 5), false), ((2, 1, 6), true), ((1, 6, 39), false)] {
            let containerd = Containerd(version: ContainerdVersion(version.0, version.1, version.2), build: .k3s)
            let report = try Scenario(yaml, image: "nginx", containerd: containerd).report([failure, failure])
            #expect(report.containerdError?.hasSuffix(redacts ? redacted : failure.containerdMessage) == true, "\(containerd)")
            #expect(report.ctrError?.hasSuffix(failure.containerdMessage) == true)
        }
        // A status error is not a url.Error: never redacted.
        let status = Failure(.forbidden, message: "403", containerdMessage: "unexpected status from HEAD request to \(url): 403 Forbidden", status: 403)
        #expect(try Scenario(yaml, image: "nginx", containerd: Self.v21).report([status, Self.refused]).containerdError == Self.cri2 + status.containerdMessage)
    }

    @Test("every root cause has a code and a slug") func codes() {
        #expect(Set(RootCause.Code.allCases.map(\.rawValue)).count == RootCause.Code.allCases.count)
        #expect(Set(RootCause.Code.allCases.map(\.slug)).count == RootCause.Code.allCases.count)
    }
}
