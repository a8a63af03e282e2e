import Foundation
import Testing
@testable import HawserCore

@Suite("hawser check")
struct LintTests {
    func findings(_ yaml: String, options: RenderOptions = .init()) throws -> [Finding] {
        try Linter(options: options).check(RegistriesConfig.parse(yaml, file: "registries.yaml"))
    }

    /// Each code has two fixtures under Fixtures/lint: `HWnnn.trigger.yaml`, whose
    /// first line says `# HWnnn fires at line N: why`, and `HWnnn.near-miss.yaml`,
    /// a configuration one step away that must NOT produce the code (a rule that
    /// fires on everything is as wrong as one that never fires).
    @Test("every code fires on its trigger, at the line it names, and not on its near-miss", arguments: FindingCode.allCases)
    func triggerAndNearMiss(code: FindingCode) throws {
        let trigger = try Fixtures.text("lint/\(code.rawValue).trigger.yaml")
        let header = try #require(trigger.split(separator: "\n").first.map(String.init))
        let prefix = "# \(code.rawValue) fires at line "
        #expect(header.hasPrefix(prefix), "first line of \(code.rawValue).trigger.yaml: \(header)")
        let line = try #require(Int(header.dropFirst(prefix.count).prefix { $0.isNumber }), "no line in: \(header)")
        let fired = try findings(trigger)
        let matching = fired.filter { $0.code == code }
        #expect(matching.count == 1, "\(code.slug): expected once, got \(fired.map(\.code.rawValue))")
        #expect(matching.first?.location?.line == line, "\(code.slug) at \(String(describing: matching.first?.location))")
        #expect(matching.first?.severity == code.defaultSeverity)
        #expect(matching.allSatisfy { $0.fix?.isEmpty == false && $0.consequence?.isEmpty == false })

        let nearMiss = try Fixtures.text("lint/\(code.rawValue).near-miss.yaml")
        #expect(nearMiss.hasPrefix("# \(code.rawValue) must not fire: "))
        let quiet = try findings(nearMiss)
        #expect(!quiet.contains { $0.code == code }, "\(code.slug) fired on its near-miss: \(quiet.filter { $0.code == code })")
    }

    @Test("the lint fixtures are exactly one trigger and one near-miss for every code, nothing else")
    func fixturesCoverEveryCode() throws {
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: Fixtures.url("lint").path))
        let expected = Set(FindingCode.allCases.flatMap { ["\($0.rawValue).trigger.yaml", "\($0.rawValue).near-miss.yaml"] })
        #expect(present.subtracting(expected).sorted() == [], "fixtures for no code")
        #expect(expected.subtracting(present).sorted() == [], "codes without fixtures")
        #expect(Set(FindingCode.allCases.map(\.rawValue)).count == FindingCode.allCases.count)
        #expect(Set(FindingCode.allCases.map(\.slug)).count == FindingCode.allCases.count)
    }

    @Test("docs/codes.md lists every code with its slug and severity", arguments: FindingCode.allCases)
    func documented(code: FindingCode) throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/codes.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        #expect(text.contains("| \(code.rawValue) | \(code.slug) | \(code.defaultSeverity.rawValue) |"))
    }

    @Test("the near-misses that fire a sibling code fire exactly that one", arguments: [
        (FindingCode.emptyValue, FindingCode.wildcardNoEndpoints),
        (.wildcardNoEndpoints, .emptyValue),
        (.skipVerifyOnHTTP, .httpsFirstFallback),
        (.httpsFirstFallback, .tlsOnPlainHTTPHost),
        (.tlsOnPlainHTTPHost, .httpsFirstFallback),
        (.wildcardConfigBlocksDefault, .wildcardAuthUnused),
    ])
    func siblings(nearMissOf code: FindingCode, fires sibling: FindingCode) throws {
        let codes = try findings(try Fixtures.text("lint/\(code.rawValue).near-miss.yaml")).map(\.code)
        #expect(codes == [sibling])
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
