import Foundation
import Testing

@Suite("hawser command line")
struct CLITests {
    @Test("check: exit 1 with warnings, codes and lines in the output") func checkWarnings() throws {
        let result = try HawserProcess.run(["check", try HawserProcess.fixture("harbor-port-80.yaml")])
        #expect(result.status == 1)
        #expect(result.stdout.contains("harbor-port-80.yaml:11:7: warning: insecure_skip_verify"))
        #expect(result.stdout.contains("[HW201 skip-verify-on-http]"))
        #expect(result.stdout.contains("[HW105 http-mirror-hidden-by-https-default]"))
    }

    @Test("check: exit 2 and file:line:column for a wrong type") func checkError() throws {
        let result = try HawserProcess.run(["check", try HawserProcess.fixture("bad-type.yaml")])
        #expect(result.status == 2)
        #expect(result.stdout.contains("bad-type.yaml:3:15: error:"))
        #expect(result.stdout.contains("K3s would refuse to start"))
    }

    @Test("check: every wrong type of a file in one run, each at its line, and the rest of the file still checked") func checkAllErrors() throws {
        let result = try HawserProcess.run(["check", try HawserProcess.fixture("several-wrong-types.yaml"), "--json"])
        #expect(result.status == 2)
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let findings = (document?["findings"] as? [[String: Any]]) ?? []
        #expect(findings.compactMap { $0["line"] as? Int } == [3, 10, 11])
        #expect(findings.compactMap { $0["code"] as? String } == ["config.type", "config.type", "config.type"])
        #expect(document?["errors"] as? Int == 3)
    }

    @Test("check: unquoted * says to quote it") func unquotedStar() throws {
        let result = try HawserProcess.run(["check", try HawserProcess.fixture("unquoted-star.yaml"), "--json"])
        #expect(result.status == 2)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let finding = try #require((document["findings"] as? [[String: Any]])?.first)
        #expect(finding["code"] as? String == "config.unquoted-wildcard")
        #expect(finding["line"] as? Int == 2)
    }

    @Test("check: unreadable file is an error, not a crash") func unreadable() throws {
        let result = try HawserProcess.run(["check", "/nonexistent/registries.yaml"])
        #expect(result.status == 2)
        #expect(result.stdout.contains("does not exist"))
        // A missing registries.yaml does not stop K3s: it runs with containerd's defaults.
        #expect(result.stdout.contains("K3s starts without a registries.yaml"))
        #expect(!result.stdout.contains("refuse to start"))
    }

    @Test("resolve: plan in order with reasons; JSON with schema") func resolve() throws {
        let config = try HawserProcess.fixture("docker-io-mirror.yaml")
        let text = try HawserProcess.run(["resolve", "nginx", "--config", config])
        #expect(text.status == 0)
        #expect(text.stdout.contains("1. http://harbor.example.com:80/v2/library/nginx/manifests/latest?ns=docker.io"))
        #expect(text.stdout.contains("2. https://registry-1.docker.io/v2/library/nginx/manifests/latest"))
        #expect(!text.stdout.contains("not-a-real-secret"))
        let json = try HawserProcess.run(["resolve", "nginx", "--config", config, "--json"])
        #expect(json.status == 0)
        #expect(json.stdout.contains("\"schema\" : \"hawser.plan/v1\""))
        #expect(!json.stdout.contains("not-a-real-secret"))
    }

    @Test("resolve: --containerd and --upstream choose the model; an unknown version is a usage error that lists the known ones") func containerdVersion() throws {
        let hosts = try HawserProcess.fixture("certs.d-no-server")
        let k3s = try HawserProcess.run(["resolve", "registry.example.com/app:1", "--hosts-dir", hosts, "--containerd", "2.1", "--json"])
        #expect(k3s.status == 0)
        let k3sPlan = try JSONSerialization.jsonObject(with: Data(k3s.stdout.utf8)) as? [String: Any]
        #expect(k3sPlan?["containerd"] as? [String: String] == ["version": "2.1.9", "build": "k3s"])
        #expect((k3sPlan?["attempts"] as? [[String: Any]])?.compactMap { $0["url"] as? String }
            == ["https://mirror.example.com/v2/app/manifests/1?ns=registry.example.com"])
        let upstream = try HawserProcess.run(["resolve", "registry.example.com/app:1", "--hosts-dir", hosts, "--containerd", "1.6.20", "--upstream", "--json"])
        let upstreamPlan = try JSONSerialization.jsonObject(with: Data(upstream.stdout.utf8)) as? [String: Any]
        #expect(upstreamPlan?["containerd"] as? [String: String] == ["version": "1.6.20", "build": "upstream"])
        #expect((upstreamPlan?["attempts"] as? [[String: Any]])?.compactMap { $0["url"] as? String }
            == ["https://mirror.example.com/v2/app/manifests/1?ns=registry.example.com", "https://registry.example.com/v2/app/manifests/1"])
        let text = try HawserProcess.run(["resolve", "registry.example.com/app:1", "--hosts-dir", hosts, "--k3s-version", "v1.30.4+k3s1"])
        #expect(text.stdout.hasPrefix("Plan for registry.example.com/app:1 (containerd 1.7.20 (K3s build))\n"))
        let unknown = try HawserProcess.run(["resolve", "nginx", "--containerd", "1.5"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("unknown containerd version \"1.5\"; known: 1.6, 1.7, 2.0, 2.1, 2.2, 2.3"))
        #expect(try HawserProcess.run(["resolve", "nginx", "--k3s-version", "v1.30.4+k3s1", "--upstream"]).status == 64)
    }

    @Test("node: a K3s tree under --root, in force (exit 0), then registries.yaml edited without a restart (exit 1)") func node() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hawser-cli-node-\(UInt64.random(in: 0...UInt64.max))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let etc = root + "/etc/rancher/k3s"
        try FileManager.default.createDirectory(atPath: etc, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try HawserProcess.fixture("docker-io-mirror.yaml"), toPath: etc + "/registries.yaml")
        let certs = root + "/var/lib/rancher/k3s/agent/etc/containerd/certs.d"
        #expect(try HawserProcess.run(["render", etc + "/registries.yaml", "--out", certs]).status == 0)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-600)], ofItemAtPath: etc + "/registries.yaml")
        let clean = try HawserProcess.run(["node", "--root", root, "--no-probe", "--json"])
        #expect(clean.status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(clean.stdout.utf8)) as? [String: Any]
        #expect(report?["schema"] as? String == "hawser.node/v1")
        #expect(report?["distribution"] as? String == "k3s")
        #expect((report?["drift"] as? [Any])?.isEmpty == true)
        #expect(report?["registries"] as? [String] == ["docker.io", "harbor.example.com:80"])

        let edited = try String(contentsOfFile: etc + "/registries.yaml", encoding: .utf8).replacingOccurrences(of: "harbor.example.com:80", with: "harbor.example.com:8080")
        try edited.write(toFile: etc + "/registries.yaml", atomically: true, encoding: .utf8)
        let stale = try HawserProcess.run(["node", "--root", root, "--no-probe"])
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("K3s has not been restarted since, so the change is not in force [not-restarted]"))
        #expect(stale.stdout.contains("`systemctl restart k3s` on servers, `systemctl restart k3s-agent` on agents"))
        // With neither --config nor --hosts-dir, resolve plans from what is in force: the old certs.d.
        let resolve = try HawserProcess.run(["resolve", "nginx", "--root", root])
        #expect(resolve.stdout.contains("1. http://harbor.example.com:80/v2/library/nginx/manifests/latest?ns=docker.io"))
        #expect(resolve.stderr.contains("reading the node: k3s node: /etc/rancher/k3s/registries.yaml, /var/lib/rancher/k3s/agent/etc/containerd/certs.d"))
    }

    @Test("doctor: a reader that goes away (| head) is no crash") func closedPipe() throws {
        let process = Process()
        process.executableURL = try HawserProcess.executable
        // Nothing listens on port 1: the doctor has a report to print, and nobody reads it.
        process.arguments = ["doctor", "127.0.0.1:1/app:1", "--json", "--timeout", "2"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try pipe.fileHandleForReading.close()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect([0, 1].contains(process.terminationStatus))
    }

    @Test("resolve: a bad reference is refused with the reason") func badReference() throws {
        let result = try HawserProcess.run(["resolve", "Nginx:latest", "--config", try HawserProcess.fixture("docker-io-mirror.yaml")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("must be lower-case"))
    }

    @Test("resolve: at most one of --config and --hosts-dir; neither means containerd's defaults") func sourceOptions() throws {
        let both = try HawserProcess.run(["resolve", "nginx", "--config", "a", "--hosts-dir", "b"])
        #expect(both.status == 64)  // a usage error (EX_USAGE), before anything is read
        #expect(both.stderr.contains("give either --config or --hosts-dir, not both"))
        // The version is pinned: without it, a machine with containerd installed is modelled
        // as that containerd (Debian's 1.6.20 tries 127.0.0.1:5000 over plain HTTP only).
        let defaults = try HawserProcess.run(["resolve", "127.0.0.1:5000/app", "--containerd", "2.3.4"])
        #expect(defaults.status == 0)
        #expect(defaults.stdout.contains("1. http://127.0.0.1:5000/v2/app/manifests/latest"))
        #expect(defaults.stdout.contains("HTTPS first"))
    }

    @Test("render: writes the tree, replaces an old one whole, and --stdout names each file") func render() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hawser-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("certs.d")
        try FileManager.default.createDirectory(at: out.appendingPathComponent("stale.example.com"), withIntermediateDirectories: true)
        let result = try HawserProcess.run(["render", try HawserProcess.fixture("harbor-port-80.yaml"), "--out", out.path])
        #expect(result.status == 0)
        let written = try String(contentsOf: out.appendingPathComponent("harbor.example.com:80/hosts.toml"), encoding: .utf8)
        #expect(written.hasPrefix("# File generated by k3s. DO NOT EDIT.\nserver = \"https://harbor.example.com:80/v2\"\n"))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("stale.example.com").path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path)
        #expect(leftovers == ["certs.d"])
        let stdout = try HawserProcess.run(["render", try HawserProcess.fixture("harbor-port-80.yaml"), "--stdout"])
        #expect(stdout.stdout.hasPrefix("==> harbor.example.com:80/hosts.toml <==\n# File generated by k3s."))
    }

    @Test("render: a bad file leaves the existing tree untouched") func renderFailure() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hawser-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let keep = root.appendingPathComponent("certs.d/keep.example.com")
        try FileManager.default.createDirectory(at: keep, withIntermediateDirectories: true)
        let result = try HawserProcess.run(["render", try HawserProcess.fixture("bad-type.yaml"), "--out", root.appendingPathComponent("certs.d").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad-type.yaml:3:15"))
        #expect(FileManager.default.fileExists(atPath: keep.path))
    }

    @Test("doctor: exit 1 and a JSON document with the root-cause code when nothing listens") func doctorRefused() throws {
        let result = try HawserProcess.run(["doctor", "127.0.0.1:1/library/app:v1", "--json", "--timeout", "10"])
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["schema"] as? String == "hawser.doctor/v1")
        #expect(document["pullable"] as? Bool == false)
        #expect((document["rootCause"] as? [String: Any])?["code"] as? String == "RC002")
        let text = try HawserProcess.run(["doctor", "127.0.0.1:1/library/app:v1", "--timeout", "10"])
        #expect(text.stdout.contains("Root cause [RC002 connection-refused]"))
        #expect(text.stdout.contains("What K3s would show"))
    }
}
