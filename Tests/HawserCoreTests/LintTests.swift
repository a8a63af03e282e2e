import Testing
@testable import HawserCore

@Suite("hawser check")
struct LintTests {
    func findings(_ yaml: String, options: RenderOptions = .init()) throws -> [Finding] {
        try Linter(options: options).check(RegistriesConfig.parse(yaml, file: "registries.yaml"))
    }

    /// One configuration per code, and the line the finding must point at.
    @Test("every code fires where it should", arguments: [
        (FindingCode.unknownKey, "mirrors:\n  docker.io:\n    endpoints: [\"https://m\"]\n", 3),
        (.duplicateKey, "configs:\n  r:\n    auth: {username: a, password: b}\n  r:\n    tls: {ca_file: /x}\n", 4),
        (.emptyValue, "mirrors:\n  docker.io:\n", 2),
        (.invalidEndpoint, "mirrors:\n  docker.io:\n    endpoint:\n      - \"https://bad host\"\n", 4),
        (.duplicateEndpoint, "mirrors:\n  docker.io:\n    endpoint:\n      - https://m.example.com\n      - m.example.com/v2\n", 5),
        (.defaultEndpointNotLast, "mirrors:\n  docker.io:\n    endpoint:\n      - docker.io\n      - https://m.example.com\n", 4),
        (.mirrorKeyPortMismatch, "mirrors:\n  harbor.example.com:80:\n    endpoint: [\"http://harbor.example.com:80\"]\n", 2),
        (.httpMirrorHiddenByHTTPSDefault, "mirrors:\n  harbor.example.com:80:\n    endpoint:\n      - http://harbor.example.com:80\n", 4),
        (.invalidMirrorKey, "mirrors:\n  \"bad host\":\n    endpoint: [\"https://m\"]\n", 2),
        (.wildcardNoEndpoints, "mirrors:\n  \"*\":\n", 2),
        (.skipVerifyOnHTTP, "mirrors:\n  docker.io:\n    endpoint: [\"http://h.example.com:80\"]\nconfigs:\n  h.example.com:80:\n    tls:\n      insecure_skip_verify: true\n", 7),
        (.tlsFilesIncomplete, "configs:\n  h.example.com:\n    tls:\n      cert_file: /c.pem\n", 3),
        (.httpsFirstFallback, "mirrors:\n  docker.io:\n    endpoint:\n      - http://h.example.com:5000\nconfigs:\n  h.example.com:5000:\n    tls:\n      ca_file: /ca.pem\n", 4),
        (.tlsOnPlainHTTPHost, "mirrors:\n  docker.io:\n    endpoint: [\"http://h.example.com:80\"]\nconfigs:\n  h.example.com:80:\n    tls:\n      ca_file: /ca.pem\n", 6),
        (.configNeverContacted, "mirrors:\n  docker.io:\n    endpoint: [\"192.168.1.59/proxy-cache\"]\nconfigs:\n  docker.io:\n    tls:\n      insecure_skip_verify: true\n", 5),
        (.credentialsOverHTTP, "mirrors:\n  docker.io:\n    endpoint: [\"http://h.example.com\"]\nconfigs:\n  h.example.com:\n    auth: {username: a, password: b}\n", 6),
        (.wildcardAuthUnused, "configs:\n  \"*\":\n    auth: {username: a, password: b}\n", 3),
        (.wildcardConfigIgnored, "mirrors:\n  \"*\":\n    endpoint: [\"https://m.example.com\"]\nconfigs:\n  \"*\":\n    tls: {insecure_skip_verify: true}\n", 6),
        (.wildcardConfigBlocksDefault, "configs:\n  \"*\":\n    tls: {insecure_skip_verify: true}\n", 2),
        (.authIncomplete, "configs:\n  h.example.com:\n    auth: {username: a}\n", 3),
        (.rewriteNotRE2, "mirrors:\n  docker.io:\n    endpoint: [\"https://m.example.com\"]\n    rewrite:\n      \"^(?!x)(.*)\": \"y/$1\"\n", 5),
        (.rewriteBreaksToml, "mirrors:\n  docker.io:\n    endpoint: [\"https://m.example.com\"]\n    rewrite:\n      '^library/(\\d+)': \"y/$1\"\n", 5),
        (.rewriteOnDefaultOnly, "mirrors:\n  docker.io:\n    rewrite:\n      \"^a/(.*)\": \"b/$1\"\n", 4),
    ])
    func codeFires(code: FindingCode, yaml: String, line: Int) throws {
        let all = try findings(yaml)
        let matching = all.filter { $0.code == code }
        #expect(!matching.isEmpty, "\(code.slug) not found; got \(all.map(\.code.slug))")
        #expect(matching.first?.location?.line == line, "\(code.slug) at \(String(describing: matching.first?.location))")
        #expect(matching.allSatisfy { $0.fix?.isEmpty == false })
    }

    @Test("every code has a test above") func allCodesCovered() {
        #expect(FindingCode.allCases.count == 23)
        #expect(Set(FindingCode.allCases.map(\.rawValue)).count == FindingCode.allCases.count)
    }

    @Test("a clean configuration has no findings") func clean() throws {
        let yaml = """
        mirrors:
          docker.io:
            endpoint:
              - "https://harbor.example.com"
        configs:
          harbor.example.com:
            auth:
              username: robot
              password: secret
            tls:
              ca_file: /etc/ssl/harbor-ca.pem
        """
        #expect(try findings(yaml).isEmpty)
    }

    @Test("the seed case: skip_verify does nothing on HTTP, the HTTPS fallback hides the error") func seed() throws {
        let codes = Set(try findings(try Fixtures.text("examples/harbor-port-80.yaml")).map(\.code))
        #expect(codes.isSuperset(of: [.skipVerifyOnHTTP, .httpMirrorHiddenByHTTPSDefault, .mirrorKeyPortMismatch]))
        let hidden = try #require(try findings(try Fixtures.text("examples/harbor-port-80.yaml")).first { $0.code == .httpMirrorHiddenByHTTPSDefault })
        #expect(hidden.consequence?.contains("server gave HTTP response to HTTPS client") == true)
        #expect(hidden.fix?.contains("--disable-default-registry-endpoint") == true)
    }

    @Test("HTTP with TLS on a non-80 port is not flagged as useless skip_verify") func fallbackIsNotUseless() throws {
        let yaml = "mirrors:\n  registry.local:5000:\n    endpoint: [\"http://registry.local:5000\"]\nconfigs:\n  registry.local:5000:\n    tls:\n      insecure_skip_verify: true\n"
        let codes = try findings(yaml).map(\.code)
        #expect(!codes.contains(.skipVerifyOnHTTP))
        #expect(codes.contains(.httpsFirstFallback))
    }

    @Test("JSON document and exit status") func document() throws {
        let warnings = CheckDocument(file: "f", findings: try findings("mirrors:\n  docker.io:\n    endpoints: []\n"))
        #expect(warnings.exitStatus == 1)
        #expect(warnings.findings.contains { $0.code == "HW001" })
        let errors = CheckDocument(file: "f", findings: try findings("mirrors:\n  docker.io:\n    endpoint: [\"https://m\"]\n    rewrite:\n      \"(?<=a)b\": c\n"))
        #expect(errors.exitStatus == 2)
        #expect(CheckDocument(file: "f", findings: []).exitStatus == 0)
        let fatal = CheckDocument(file: "f", findings: [], fatal: ConfigError(.wrongType, at: nil, "x"))
        #expect(fatal.exitStatus == 2)
    }
}
