import Foundation
import Testing
@testable import HawserCore

@Suite("registries.yaml loading")
struct RegistriesYAMLTests {
    func parse(_ text: String) throws -> RegistriesConfig.Loaded {
        try RegistriesConfig.parse(text, file: "registries.yaml")
    }

    func loadError(_ text: String) -> ConfigError? {
        do {
            _ = try RegistriesConfig.parse(text, file: "registries.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test("reads every key") func everyKey() throws {
        let loaded = try parse("""
        mirrors:
          docker.io:
            endpoint:
              - "https://mirror.example.com"
              - http://10.0.0.1:5000
            rewrite:
              "^rancher/(.*)": "mirrored/$1"
        configs:
          mirror.example.com:
            auth:
              username: user
              password: 12345
              auth: dXNlcjpwYXNz
              identity_token: tok
            tls:
              ca_file: /ca.pem
              cert_file: /c.pem
              key_file: /k.pem
              insecure_skip_verify: yes
        """)
        let mirror = try #require(loaded.config.mirror("docker.io"))
        #expect(mirror.endpoints.map(\.text) == ["https://mirror.example.com", "http://10.0.0.1:5000"])
        #expect(mirror.endpoints.first?.location == SourceLocation(file: "registries.yaml", line: 4, column: 9))
        #expect(mirror.rewrites == [RewriteRule(pattern: "^rancher/(.*)", replacement: "mirrored/$1", location: mirror.rewrites.first?.location)])
        let config = try #require(loaded.config.config("mirror.example.com"))
        #expect(config.auth?.password == "12345")
        #expect(config.auth?.identityToken == "tok")
        #expect(config.auth?.basic?.username == "user")
        #expect(config.tls?.insecureSkipVerify == true)
        #expect(config.tls?.caFile == "/ca.pem")
        #expect(loaded.findings.isEmpty)
    }

    @Test("YAML 1.1 booleans", arguments: ["true", "yes", "Yes", "on", "ON", "y", "True"])
    func yaml11True(_ word: String) throws {
        let loaded = try parse("configs:\n  r:\n    tls:\n      insecure_skip_verify: \(word)\n")
        #expect(loaded.config.config("r")?.tls?.insecureSkipVerify == true)
    }

    @Test("YAML 1.1 false", arguments: ["false", "no", "off", "N"])
    func yaml11False(_ word: String) throws {
        let loaded = try parse("configs:\n  r:\n    tls:\n      insecure_skip_verify: \(word)\n")
        #expect(loaded.config.config("r")?.tls?.insecureSkipVerify == false)
    }

    @Test("null values are empty") func nulls() throws {
        let loaded = try parse("mirrors:\n  docker.io:\n  other:\n    endpoint:\nconfigs:\n")
        #expect(loaded.config.mirrors.map(\.key) == ["docker.io", "other"])
        #expect(loaded.config.mirror("docker.io")?.endpoints == [])
        #expect(loaded.config.configs.isEmpty)
        #expect(try parse("").config.mirrors.isEmpty)
        #expect(try parse("# only a comment\n").config.mirrors.isEmpty)
    }

    @Test("the last duplicate wins, with a finding") func duplicates() throws {
        let loaded = try parse("mirrors:\n  docker.io:\n    endpoint: [\"https://a\"]\n  docker.io:\n    endpoint: [\"https://b\"]\n")
        #expect(loaded.config.mirrors.count == 1)
        #expect(loaded.config.mirror("docker.io")?.endpoints.map(\.text) == ["https://b"])
        let finding = try #require(loaded.findings.first)
        #expect(finding.code == .duplicateKey)
        #expect(finding.location?.line == 4)
    }

    @Test("quoted wildcard is a key") func wildcard() throws {
        #expect(try parse("mirrors:\n  \"*\":\n    endpoint: [\"https://m\"]\n").config.mirror("*") != nil)
    }

    @Test("unquoted wildcard is an error that says to quote it") func unquotedWildcard() throws {
        let error = try #require(loadError("mirrors:\n  *:\n    endpoint:\n      - https://m\n"))
        #expect(error.code == .unquotedWildcard)
        #expect(error.location?.line == 2)
        #expect(error.location?.column == 3)
        #expect(error.fix?.contains("\"*\"") == true)
    }

    @Test("unknown keys warn with a suggestion", arguments: [
        ("mirrors:\n  docker.io:\n    endpoints:\n      - https://m\n", "endpoint", 3, 5),
        ("mirror:\n  docker.io: {}\n", "mirrors", 1, 1),
        ("configs:\n  r:\n    tls:\n      insecure-skip-verify: true\n", "insecure_skip_verify", 4, 7),
        ("configs:\n  r:\n    auth:\n      identitytoken: x\n", "identity_token", 4, 7),
    ])
    func unknownKeys(text: String, suggestion: String, line: Int, column: Int) throws {
        let finding = try #require(try parse(text).findings.first)
        #expect(finding.code == .unknownKey)
        #expect(finding.message.contains("did you mean `\(suggestion)`"))
        #expect(finding.location == SourceLocation(file: "registries.yaml", line: line, column: column))
    }

    @Test("misplaced keys are explained") func misplaced() throws {
        let finding = try #require(try parse("mirrors:\n  docker.io:\n    tls: {}\n").findings.first)
        #expect(finding.message.contains("belongs under `configs.<host>`"))
    }

    @Test("wrong types are errors that say K3s would refuse to start", arguments: [
        ("mirrors:\n  docker.io:\n    endpoint: \"https://m\"\n", 3, 15),
        ("configs:\n  r:\n    tls:\n      insecure_skip_verify: \"true\"\n", 4, 29),
        ("mirrors: [a, b]\n", 1, 10),
        ("configs:\n  r:\n    auth: user:pass\n", 3, 11),
        ("mirrors:\n  docker.io:\n    endpoint:\n      - {a: b}\n", 4, 9),
        ("- just\n- a list\n", 1, 1),
    ])
    func wrongTypes(text: String, line: Int, column: Int) throws {
        let error = try #require(loadError(text))
        #expect(error.code == .wrongType)
        #expect(error.message.contains("K3s would refuse to start"))
        #expect(error.location?.line == line)
        #expect(error.location?.column == column)
    }

    @Test("bad YAML gives line and column") func syntax() throws {
        let error = try #require(loadError("mirrors:\n  docker.io:\n    endpoint: [\"a\"\n  x: y\n"))
        #expect(error.code == .syntax)
        #expect(error.location?.line == 4)
        #expect(error.location?.column == 3)
        #expect(error.description.contains("registries.yaml:"))
    }

    @Test("unreadable file") func unreadable() throws {
        #expect(throws: ConfigError.self) { try RegistriesConfig.load(contentsOf: "/nonexistent/registries.yaml") }
        do {
            _ = try RegistriesConfig.load(contentsOf: "/nonexistent/registries.yaml")
        } catch {
            #expect(error.code == .unreadable)
            #expect(error.message.contains("does not exist"))
        }
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let binary = directory.appendingPathComponent("bin.yaml")
        try Data([0xFF, 0xFE, 0x00, 0x80]).write(to: binary)
        #expect(throws: ConfigError.self) { try RegistriesConfig.load(contentsOf: binary.path) }
    }

    @Test("credentials never print their secrets") func redaction() {
        let credentials = RegistryCredentials(username: "robot", password: "s3cr3t-pass", auth: "cm9ib3Q6czNjcjN0", identityToken: "tok-123")
        #expect(!"\(credentials)".contains("s3cr3t"))
        #expect(!String(reflecting: credentials).contains("tok-123"))
        #expect(!"\(credentials)".contains("robot"))
    }
}
