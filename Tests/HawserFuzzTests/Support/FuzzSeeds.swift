import Foundation

/// Valid inputs to mutate: this target's Fixtures/seeds, and the other test
/// targets' fixtures (every registries.yaml and hosts.toml the suite knows),
/// read from the source tree next to this file.
enum FuzzSeeds {
    /// Tests/ in the source tree.
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var fixtures: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil) ?? testsDirectory.appendingPathComponent("HawserFuzzTests/Fixtures")
    }

    /// Every file under `directory` whose name ends with one of `suffixes` (bounded walk).
    static func files(under directory: URL, suffixes: [String]) -> [[UInt8]] {
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var found: [String] = []
        for case let relative as String in walker where suffixes.contains(where: relative.hasSuffix) {
            found.append(relative)
            if found.count >= 500 { break }
        }
        return found.sorted().compactMap { FileManager.default.contents(atPath: directory.appendingPathComponent($0).path).map { [UInt8]($0) } }
    }

    /// One seed per non-empty line of the files under `seeds/<name>`.
    static func lines(_ name: String) -> [[UInt8]] {
        files(under: fixtures.appendingPathComponent("seeds/\(name)"), suffixes: [".txt"]).flatMap { data in
            data.split(separator: 0x0A).map(Array.init)
        }
    }

    static func own(_ name: String, suffixes: [String]) -> [[UInt8]] {
        files(under: fixtures.appendingPathComponent("seeds/\(name)"), suffixes: suffixes)
    }

    static var registriesYAML: [[UInt8]] {
        (files(under: testsDirectory.appendingPathComponent("HawserCoreTests/Fixtures"), suffixes: [".yaml"])
            + files(under: testsDirectory.appendingPathComponent("HawserCLITests/Fixtures"), suffixes: [".yaml"]))
            .filter { $0.count < 4096 }
    }

    static var hostsTOML: [[UInt8]] {
        (files(under: testsDirectory.appendingPathComponent("HawserCoreTests/Fixtures"), suffixes: ["hosts.toml"])
            + own("hosts-toml", suffixes: [".toml"]))
            .filter { $0.count < 4096 }
    }
}
