import Foundation
import Testing
@testable import HawserCore

@Suite("hosts.toml with containerd semantics")
struct HostsTomlTests {
    var certsDirectory: String { get throws { try Fixtures.url("hosts/certs.d").path } }

    @Test("rendering a case and reading it back gives the same hosts", arguments: Fixtures.conformanceCases())
    func roundTrip(_ name: String) throws {
        let testCase = try ConformanceCase(name)
        let loaded = try RegistriesConfig.load(contentsOf: testCase.registriesYAML.path)
        for generated in K3sHostsGenerator(options: testCase.options).generate(loaded.config).hosts {
            let file = try HostsFile.parse(HostsTomlRenderer.render(generated), source: generated.directory)
            #expect(file.hosts.map(\.written) == generated.endpoints.map { $0.url ?? "" })
            for (host, endpoint) in zip(file.hosts, generated.endpoints) {
                #expect(host.overridePath == endpoint.overridePath)
                #expect(host.capabilities == [.pull, .resolve])
                #expect(host.rewrites.map(\.pattern) == endpoint.rewrites.map(\.pattern).sorted())
                #expect(host.tls.skipVerify == (endpoint.config?.tls?.insecureSkipVerify == true ? true : nil))
                #expect(host.tls.caFiles == (endpoint.config?.tls?.caFile.map { [$0] } ?? []))
            }
            #expect(file.server?.written == generated.defaultEndpoint?.url)
            if file.server != nil {
                #expect(file.server?.tls.caFiles == (generated.defaultEndpoint?.config?.tls?.caFile.map { [$0] } ?? []))
            }
        }
    }

    @Test("reads a hand-written file: order by line, defaults, relative paths, headers, rewrites") func handWritten() throws {
        let path = try certsDirectory + "/registry.example.com_5000_/hosts.toml"
        let file = try HostsFile.load(contentsOf: path)
        #expect(file.hosts.map(\.written) == ["https://zeta-mirror.example.net/base", "http://alpha-mirror.example.net:8080"])
        let zeta = file.hosts[0]
        #expect(zeta.endpoint == Endpoint(scheme: .https, host: "zeta-mirror.example.net", path: "/base"))
        #expect(zeta.capabilities == [.pull])
        #expect(zeta.tls.skipVerify == true)
        #expect(zeta.headers["X-Multi"] == ["a", "b"])
        let alpha = file.hosts[1]
        #expect(alpha.endpoint == Endpoint(scheme: .http, host: "alpha-mirror.example.net:8080", path: "/v2"))
        #expect(alpha.tls.clientCertificates == [.init(certificateFile: "/etc/certs/client.pem", keyFile: "/etc/certs/client.key")])
        #expect(alpha.rewrites == [RewriteRule(pattern: "^team/(.*)", replacement: "mirrored/team/$1")])
        let server = try #require(file.server)
        #expect(server.endpoint == Endpoint(scheme: .https, host: "registry.example.com:5000", path: "/v2"))
        #expect(server.tls.caFiles.first?.hasSuffix("registry.example.com_5000_/ca.pem") == true)
        #expect(server.capabilities == .all)
    }

    @Test("directory lookup: host_port_, then host:port, then _default") func lookup() throws {
        #expect(HostsDirectoryLookup.candidates(for: "r.example.com:5000") == ["r.example.com_5000_", "r.example.com:5000", "_default"])
        #expect(HostsDirectoryLookup.candidates(for: "docker.io") == ["docker.io", "_default"])
        let configuration = HostsConfiguration.hostsDirectory(atPath: try certsDirectory)
        #expect(try configuration.hostsFile(for: "registry.example.com:5000").directory == "registry.example.com_5000_")
        #expect(try configuration.hostsFile(for: "quay.io").directory == "_default")
        let empty = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        let none = try HostsConfiguration.hostsDirectory(atPath: empty.path).hostsFile(for: "quay.io")
        #expect(none.directory == nil && none.file == nil)
    }

    @Test("a folder without hosts.toml uses docker's legacy certificate files") func legacy() throws {
        let plan = try HostsConfiguration.hostsDirectory(atPath: try certsDirectory).plan(for: ImageReference(parsing: "legacy.example.com/app"))
        let tls = try #require(plan.attempts.first?.transport.tls)
        #expect(tls.caFiles.count == 1)
        #expect(tls.clientCertificates.count == 1)
    }

    @Test("invalid TOML and wrong types are errors with the file and line", arguments: [
        ("server = \"https://x\"\n[host.\"https://m\"\n", ConfigError.Code.invalidHostsToml, 2 as Int?),
        ("server = 5\n", .hostsWrongType, nil),
        ("[host.\"https://m\"]\n  capabilities = [\"pull\", \"fly\"]\n", .hostsWrongType, nil),
        ("[host.\"https://m\"]\n  skip_verify = \"yes\"\n", .hostsWrongType, nil),
        ("[host.\"https://m\"]\n  [host.\"https://m\".rewrite]\n    \"^a/(\\d+)\" = \"b\"\n", .invalidHostsToml, 3),
    ])
    func invalid(text: String, code: ConfigError.Code, line: Int?) {
        do {
            _ = try HostsFile.parse(text, source: "x/hosts.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == code)
            #expect(error.message.contains("x/hosts.toml"))
            if let line { #expect(error.location?.line == line) }
        }
    }

    @Test("an unreadable hosts.toml is an error") func unreadable() {
        #expect(throws: ConfigError.self) { try HostsFile.load(contentsOf: "/nonexistent/hosts.toml") }
    }
}
