import Foundation
import Testing
@testable import HawserCore

/// Input that crashed Hawser (issue 10, rows 2 and 3) or was built to: each is
/// a clear error with file:line:column, never a crash. Before the fix, the YAML
/// files overflowed the stack (SIGSEGV) and the TOML ones aborted in toml++.
@Suite("hostile configuration files")
struct HostileInputTests {
    @Test("registries.yaml nested thousands of levels deep is config.too-deep, with the line", arguments: [
        ("registries-flow-nested-4700.yaml", 3), ("registries-flow-nested-30000.yaml", 3), ("registries-block-nested-30000.yaml", 4),
        ("registries-mapping-nested-30000.yaml", 1),
    ])
    func deepYAML(name: String, line: Int) throws {
        let path = try Fixtures.url("hostile/\(name)").path
        do {
            _ = try RegistriesConfig.load(contentsOf: path)
            Issue.record("expected config.too-deep")
        } catch {
            #expect(error.code == .tooDeep)
            #expect(error.location?.file == path)
            #expect(error.location?.line == line)
            #expect(error.description.contains("more than 64 levels"))
            #expect(error.fix != nil)
        }
    }

    @Test("nesting at the limit is read; one more level is refused") func depthBoundary() throws {
        func nested(_ levels: Int) -> String {
            // Three mappings are open (the root, `mirrors`, `docker.io`); the lists make up the rest.
            "mirrors:\n  docker.io:\n    endpoint: " + String(repeating: "[", count: levels - 3) + String(repeating: "]", count: levels - 3) + "\n"
        }
        // Deep lists under `endpoint` are a type error (K3s wants strings), not a crash.
        #expect(throws: ConfigError.self) { try RegistriesConfig.parse(nested(RegistriesConfig.maximumDepth)) }
        do {
            _ = try RegistriesConfig.parse(nested(RegistriesConfig.maximumDepth))
        } catch {
            #expect(error.code == .wrongType)
        }
        do {
            _ = try RegistriesConfig.parse(nested(RegistriesConfig.maximumDepth + 1))
            Issue.record("expected config.too-deep")
        } catch {
            #expect(error.code == .tooDeep)
        }
    }

    @Test("a registries.yaml larger than 1 MiB is config.too-large") func largeYAML() throws {
        let text = "# " + String(repeating: "x", count: RegistriesConfig.maximumSize) + "\n"
        #expect(throws: ConfigError(.tooLarge, at: nil, "registries.yaml is larger than 1 MiB; a registries.yaml is a few KiB",
                                    fix: "check that the right file is passed (K3s reads /etc/rancher/k3s/registries.yaml)")) {
            try RegistriesConfig.parse(text)
        }
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("registries.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { try RegistriesConfig.load(contentsOf: path) }
        do { _ = try RegistriesConfig.load(contentsOf: path) } catch { #expect(error.code == .tooLarge) }
    }

    @Test("a syntax error inside deep nesting is still a syntax error") func syntaxInsideNesting() throws {
        do {
            _ = try RegistriesConfig.parse("mirrors: [[[[ a: ]\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .syntax)
        }
    }

    @Test("hosts.toml that aborted toml++ is hosts.syntax with line and column", arguments: [
        ("hosts-double-bracket.toml", 1, 3), ("hosts-backtick-key.toml", 1, 2),
        ("hosts-array-nested-5000.toml", 2, 106), ("hosts-inline-nested-5000.toml", 1, 305), ("hosts-dotted-key-5000.toml", 1, 201),
    ])
    func hostileTOML(name: String, line: Int, column: Int) throws {
        let path = try Fixtures.url("hostile/\(name)").path
        do {
            _ = try HostsFile.load(contentsOf: path)
            Issue.record("expected hosts.syntax")
        } catch {
            #expect(error.code == .invalidHostsToml)
            #expect(error.location == SourceLocation(file: path, line: line, column: column))
            #expect(error.message.contains(path))
        }
    }

    @Test("a hosts.toml larger than 1 MiB is hosts.too-large") func largeTOML() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("hosts.toml").path
        try ("# " + String(repeating: "x", count: HostsFile.maximumSize)).write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try HostsFile.load(contentsOf: path)
            Issue.record("expected hosts.too-large")
        } catch {
            #expect(error.code == .hostsTooLarge)
        }
    }
}
