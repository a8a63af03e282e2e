import Foundation
import HawserTestSupport
import Testing
@testable import HawserCore
@testable import HawserDoctor

/// `hawser node` against real registries on 127.0.0.1: a K3s node tree (under a
/// temporary --root) whose mirrors are one healthy registry, one plain-HTTP
/// registry written https://, and one with a wrong password.
@Suite("node on loopback", .serialized)
struct NodeLiveTests {
    @Test("every endpoint probed: the healthy one passes, the two broken ones get their root causes") func endpoints() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let line = try Tools.run(try Tools.require(Tools.htpasswd, package: "apache2-utils"), ["-Bbn", "hawser", "correct-horse"])
        try line.write(toFile: work.file("htpasswd"), atomically: true, encoding: .utf8)
        try await withRegistry { healthy in
            try await withRegistry { plain in
                try await withRegistry(auth: .htpasswd(path: work.file("htpasswd"))) { locked in
                    let yaml = """
                    mirrors:
                      a.example:
                        endpoint: ["http://\(healthy.host)"]
                      b.example:
                        endpoint: ["https://\(plain.host)"]
                      c.example:
                        endpoint: ["http://\(locked.host)"]
                    configs:
                      "\(plain.host)":
                        tls:
                          insecure_skip_verify: true
                      "\(locked.host)":
                        auth:
                          username: hawser
                          password: not-the-password-7f3a

                    """
                    let root = work.file("node")
                    let etc = root + "/etc/rancher/k3s"
                    try FileManager.default.createDirectory(atPath: etc, withIntermediateDirectories: true)
                    try yaml.write(toFile: etc + "/registries.yaml", atomically: true, encoding: .utf8)
                    try "disable-default-registry-endpoint: true\n".write(toFile: etc + "/config.yaml", atomically: true, encoding: .utf8)
                    let options = RenderOptions(disableDefaultEndpoint: true)
                    let config = try RegistriesConfig.parse(yaml, file: "registries.yaml").config
                    try CertsDirectoryWriter(destination: root + "/var/lib/rancher/k3s/agent/etc/containerd/certs.d")
                        .write(K3sHostsGenerator(options: options).generate(config).hosts)

                    let report = await NodeReport.make(root: NodeRoot(root), containerd: .default, probe: true, timeout: .seconds(3))
                    #expect(report.distribution == "k3s")
                    #expect(report.drift.isEmpty)
                    let byEndpoint = Dictionary(report.endpoints.map { ($0.endpoint, $0) }, uniquingKeysWith: { first, _ in first })
                    #expect(byEndpoint["http://\(healthy.host)/v2"]?.healthy == true)
                    #expect(byEndpoint["https://\(plain.host)/v2"]?.rootCause?.code == "RC101")
                    #expect(byEndpoint["http://\(locked.host)/v2"]?.rootCause?.code == "RC202")
                    #expect(byEndpoint["http://\(locked.host)/v2"]?.credentialsKey == locked.host)
                    #expect(report.exitStatus == 1)
                    // The password never reaches the report.
                    let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
                    #expect(!json.contains("not-the-password-7f3a"))
                }
            }
        }
    }
}
