import Foundation
import Testing
@testable import HawserCore

/// The 60 K3s cases: registries.yaml in, hosts.toml bytes out.
@Suite("K3s conformance")
struct ConformanceTests {
    @Test("there are 60 cases") func count() {
        #expect(Fixtures.conformanceCases().count == 60)
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
