import Foundation
import HawserCore

/// One folder of the K3s conformance data: input, flags, expected files.
struct ConformanceCase {
    let name: String
    let directory: URL
    let registriesYAML: URL
    let options: RenderOptions
    /// directory name -> expected hosts.toml bytes
    let expected: [String: String]

    init(_ name: String) throws {
        self.name = name
        directory = try Fixtures.url("k3s/\(name)")
        registriesYAML = directory.appendingPathComponent("registries.yaml")
        let caseText = try String(contentsOf: directory.appendingPathComponent("case.txt"), encoding: .utf8)
        var fields: [String: String] = [:]
        for line in caseText.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var options = RenderOptions()
        options.disableDefaultEndpoint = fields["disable_default_registry_endpoint"] == "true"
        if fields["embedded_registry"]?.hasPrefix("true") == true {
            options.embeddedRegistry = .init(address: "127.0.0.1:6443", caFile: "server-ca", certFile: "client-cert", keyFile: "client-key")
        }
        self.options = options

        let expectedRoot = directory.appendingPathComponent("expected")
        var expected: [String: String] = [:]
        for entry in try FileManager.default.contentsOfDirectory(atPath: expectedRoot.path) where entry != ".none" {
            expected[entry] = try String(contentsOf: expectedRoot.appendingPathComponent(entry).appendingPathComponent("hosts.toml"), encoding: .utf8)
        }
        self.expected = expected
    }
}
