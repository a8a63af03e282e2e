import Foundation
@testable import HawserCore

extension FuzzTargets {
    /// registries.yaml: load, lint, generate K3s's hosts.toml, render, read them
    /// back, and plan a pull through them (what check, render and resolve do).
    static var registriesYAML: FuzzTarget {
        FuzzTarget(
            name: "registries-yaml",
            seeds: FuzzSeeds.registriesYAML,
            tokens: ["[", "{", "- ", ": ", "\n  ", "\n", "*", "&a ", "*a", "!!str ", "? ", "|\n", "\"", "'", "#", "---\n", "...\n",
                     "mirrors:\n", "configs:\n", "endpoint:\n  - ", "rewrite:\n", "insecure_skip_verify: "].map { Array($0.utf8) }
                + hugeNumbers.map { Array($0.utf8) },
            generators: [
                { random in Array(("mirrors:\n  a:\n    endpoint: " + repeated("[", random.size(max: 20000)) + "x" + repeated("]", random.size(max: 20000))).utf8) },
                { random in Array((repeated("- ", random.size(max: 20000)) + "x\n").utf8) },
                { random in Array(("mirrors: " + repeated("{a: ", random.size(max: 20000)) + "b" + repeated("}", random.size(max: 100))).utf8) },
                { random in
                    let depth = random.size(max: 700)
                    return Array((0..<depth).map { repeated(" ", $0) + "k\($0):\n" }.joined().utf8)
                },
                { random in
                    // Aliases of aliases (billion laughs).
                    var text = "a: &a [\"x\", \"x\", \"x\", \"x\"]\n"
                    for level in 0..<(1 + random.below(12)) {
                        text += "l\(level): &l\(level) [" + repeated("*\(level == 0 ? "a" : "l\(level - 1)"), ", 9) + "*a]\n"
                    }
                    return Array(("mirrors:\n  docker.io:\n    endpoint: *l0\n" + text).utf8)
                },
                { random in Array(shapedRegistries(&random).utf8) },
            ],
            run: { bytes in
                guard let loaded = try? RegistriesConfig.parse(text(bytes), file: "fuzz.yaml") else { return }
                _ = Linter().check(loaded)
                let output = K3sHostsGenerator().generate(loaded.config)
                for host in output.hosts { _ = try? HostsFile.parse(HostsTomlRenderer.render(host), source: host.directory) }
                let configuration = HostsConfiguration.fromRegistries(loaded.config, path: "fuzz.yaml")
                for key in loaded.config.mirrors.map(\.key).prefix(4) + ["docker.io"] {
                    guard let image = try? ImageReference(parsing: "\(key)/library/app:v1") else { continue }
                    _ = try? configuration.plan(for: image)
                }
            })
    }

    /// A registries.yaml with every key K3s reads, each with an odd value.
    static func shapedRegistries(_ random: inout FuzzRandom) -> String {
        let values = hugeNumbers + ["~", "\"\"", "\"*\"", "*", "http://[::1]:99999999999999999999/v2", "https://a:-1", "host:65536",
                                    "\"http://h:5000/v2/\"", "'\\d'", "\"^(.*)$\"", "yes", "\"true\"", "[]", "{}", "!!binary aGk=",
                                    "\"" + repeated("a", random.size(max: 5000)) + "\"", "\"é\u{0}\"", "- x"]
        func value(_ random: inout FuzzRandom) -> String { random.pick(values) }
        let host = random.pick(["docker.io", "\"*\"", "registry.local:5000", "\"h:80\"", value(&random)])
        return """
        mirrors:
          \(host):
            endpoint:
              - \(value(&random))
              - \(value(&random))
            rewrite:
              \(value(&random)): \(value(&random))
        configs:
          \(value(&random)):
            auth:
              username: \(value(&random))
              password: \(value(&random))
              auth: \(value(&random))
            tls:
              ca_file: \(value(&random))
              insecure_skip_verify: \(value(&random))

        """
    }

    /// hosts.toml: the TOML reader, then containerd's reading of the values.
    static var hostsTOML: FuzzTarget {
        FuzzTarget(
            name: "hosts-toml",
            seeds: FuzzSeeds.hostsTOML,
            tokens: ["[", "[[", "]", "]]", "{", "}", "\"", "'", "\"\"\"", "'''", "\\", "\\u", "\\U0010FFFF", "\\UFFFFFFFF", ".", "=", ",",
                     "#", "\r\n", "`", "host.", "server = ", "capabilities = ", "client = [[", "1979-05-27T07:32:00Z"].map { Array($0.utf8) }
                + hugeNumbers.map { Array($0.utf8) },
            generators: [
                { random in Array(repeated(random.pick(["[", "[[", "[a.", "{"]), random.size(max: 50000)).utf8) },
                { random in Array(("ca = " + repeated("[", random.size(max: 50000)) + repeated("]", random.size(max: 50000))).utf8) },
                { random in Array(("a = " + repeated("{b = ", random.size(max: 20000)) + "1" + repeated("}", random.size(max: 20000))).utf8) },
                { random in Array(("a" + repeated(".a", random.size(max: 20000)) + " = 1").utf8) },
                { random in
                    let numbers = hugeNumbers + ["0x" + repeated("f", 40), "0b" + repeated("1", 100), "0o" + repeated("7", 30), "1e99999",
                                                 "9999-99-99T99:99:99Z", "2024-02-29", "2023-02-29", "24:00:00", "1__0", "_1", "0x_1"]
                    return Array(("a = \(random.pick(numbers))\nb = [\(random.pick(numbers)), \(random.pick(numbers))]").utf8)
                },
                { random in Array(shapedHosts(&random).utf8) },
            ],
            run: { bytes in
                let text = text(bytes)
                _ = try? TOMLParser.parse(text)
                _ = try? HostsFile.parse(text, source: "fuzz/hosts.toml", baseDirectory: "/etc/containerd/certs.d/fuzz")
            })
    }

    static func shapedHosts(_ random: inout FuzzRandom) -> String {
        let values = hugeNumbers + ["\"https://m\"", "\"\"", "[]", "[[]]", "[[\"c\", \"k\"], \"x\"]", "[[1, 2]]", "{}", "{a = 1}", "true",
                                    "[\"pull\", \"fly\"]", "\"\\d\"", "'\\d'", "\"http://[::1\"", "\"ftp://x\"", "\"https:///\""]
        func value(_ random: inout FuzzRandom) -> String { random.pick(values) }
        return """
        server = \(value(&random))
        capabilities = \(value(&random))
        [host."\(random.pick(["https://m", "http://a:1/b/../c", "", "m", "http://"]))"]
          capabilities = \(value(&random))
          ca = \(value(&random))
          client = \(value(&random))
          skip_verify = \(value(&random))
          override_path = \(value(&random))
          [host."https://m".header]
            X-A = \(value(&random))
          [host."https://m".rewrite]
            "^a" = \(value(&random))

        """
    }

    /// Image references, platforms and digests as typed on the command line.
    static var imageReferences: FuzzTarget {
        FuzzTarget(
            name: "image-references",
            seeds: FuzzSeeds.lines("references"),
            tokens: ["/", ":", "@", "sha256:", "sha512:", ".", "-", "_", "__", "[", "]", "::1", "localhost", "A", "é"].map { Array($0.utf8) }
                + hugeNumbers.map { Array($0.utf8) },
            generators: [
                { random in Array((repeated("a/", random.size(max: 5000)) + "b").utf8) },
                { random in Array(("h:" + random.pick(hugeNumbers) + "/r:" + repeated("t", random.size(max: 300))).utf8) },
                { random in Array(("r@sha256:" + repeated("0", random.size(max: 200))).utf8) },
                { random in Array((repeated("a", random.size(max: 5000)) + ":" + repeated("b", random.size(max: 500))).utf8) },
            ],
            run: { bytes in
                let text = text(bytes)
                if let reference = try? ImageReference(parsing: text) {
                    _ = reference.description
                    _ = reference.manifestReference
                }
                _ = try? Platform(parsing: text)
                _ = try? Digest(parsing: text)
            })
    }
}
