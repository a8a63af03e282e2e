import Foundation
import Testing
@testable import HawserCore

/// The K3s cases (46 + 6 of K3s's own tests, the rest derived): registries.yaml in, hosts.toml bytes out.
@Suite("K3s conformance")
struct ConformanceTests {
    @Test("there are 62 cases: 52 from K3s's tests, 10 derived") func count() throws {
        #expect(Fixtures.conformanceCases().count == 62)
        let kinds = try Fixtures.conformanceCases().map { try String(contentsOf: Fixtures.url("k3s/\($0)/case.txt"), encoding: .utf8).contains("kind: derived") }
        #expect(kinds.filter { $0 }.count == 10)
    }

    @Test("renders byte for byte", arguments: Fixtures.conformanceCases())
    func rendersByteForByte(_ name: String) throws {
        let testCase = try ConformanceCase(name)
        let loaded = try RegistriesConfig.load(contentsOf: testCase.registriesYAML.path)
        let output = K3sHostsGenerator(options: testCase.options).generate(loaded.config)
        let rendered = Dictionary(uniqueKeysWithValues: output.hosts.map { ($0.directory, HostsTomlRenderer.render($0)) })
        #expect(Set(rendered.keys) == Set(testCase.expected.keys))
        for (directory, expected) in testCase.expected {
            #expect(rendered[directory] == expected, "\(name)/\(directory)")
        }
    }
}
