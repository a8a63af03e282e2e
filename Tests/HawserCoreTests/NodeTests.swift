import Foundation
import Testing
@testable import HawserCore

/// Reading a node through --root: fixture trees under Fixtures/nodes, copied to
/// a temporary folder so that each test sets the file times it is about (git
/// does not keep them).
@Suite("node: what is in force, and drift")
struct NodeTests {
    /// A copy of a fixture node whose registries.yaml is older than everything K3s generated.
    static func node(_ name: String, yamlAge: TimeInterval = 3600) throws -> (root: NodeRoot, path: String) {
        let source = try Fixtures.url("nodes/\(name)")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("hawser-node-\(name)-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.copyItem(at: source, to: copy)
        let now = Date()
        if let files = FileManager.default.enumerator(atPath: copy.path) {
            for case let file as String in files {
                try FileManager.default.setAttributes([.modificationDate: now.addingTimeInterval(-1800)], ofItemAtPath: copy.appendingPathComponent(file).path)
            }
        }
        for yaml in ["etc/rancher/k3s/registries.yaml", "etc/rke2-registries/registries.yaml"] where FileManager.default.fileExists(atPath: copy.appendingPathComponent(yaml).path) {
            try FileManager.default.setAttributes([.modificationDate: now.addingTimeInterval(-yamlAge)], ofItemAtPath: copy.appendingPathComponent(yaml).path)
        }
        return (NodeRoot(copy.path), copy.path)
    }

    @Test("K3s server in force: files, flags, certs.d as the plan's source, no drift") func server() throws {
        let (root, path) = try Self.node("k3s-server")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let node = NodeConfiguration.read(root: root)
        #expect(node.distribution == .k3s)
        #expect(node.flags.disableDefaultRegistryEndpoint)
        #expect(node.flags.files == ["/etc/rancher/k3s/config.yaml"])
        #expect(node.registriesYAML?.exists == true)
        #expect(node.certsDirectory?.path == "/var/lib/rancher/k3s/agent/etc/containerd/certs.d")
        #expect(node.containerdSettings?.authHosts == ["harbor.example.com:80"])
        #expect(node.drift().isEmpty)
        let configuration = try #require(try node.hostsConfiguration())
        guard case .hostsDirectory(let certs) = configuration.origin else { Issue.record("plans must come from certs.d"); return }
        #expect(certs == root.resolve("/var/lib/rancher/k3s/agent/etc/containerd/certs.d"))
        let plan = try configuration.plan(for: ImageReference(parsing: "nginx"))
        #expect(plan.attempts.map(\.endpoint.description) == ["http://harbor.example.com:80/v2"])
        #expect(plan.attempts.first?.credentialsKey == "harbor.example.com:80")
        // The versions, from the Go build information in the binaries (a stand-in file here).
        #expect(node.versions.containerdVersion == "2.1.5-k3s1")
        #expect(node.versions.k3sVersion == "v1.34.2+k3s1")
        #expect(node.versions.containerd == Containerd(version: ContainerdVersion(2, 1, 5), build: .k3s))
    }

    @Test("K3s agent whose registries.yaml changed after K3s wrote certs.d: not restarted, each file named") func stale() throws {
        let (root, path) = try Self.node("k3s-agent-stale", yamlAge: 60)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let drift = NodeConfiguration.read(root: root).drift()
        #expect(drift.map(\.kind) == [.notRestarted, .differs, .missingFile, .extraFile, .credentialsMissing])
        #expect(drift.first?.message.contains("K3s has not been restarted since") == true)
        #expect(drift.first?.fix == "restart K3s on every node that has the file: `systemctl restart k3s` on servers, `systemctl restart k3s-agent` on agents")
        #expect(drift.map(\.file).contains("/var/lib/rancher/k3s/agent/etc/containerd/certs.d/harbor.example.com:8080/hosts.toml"))
    }

    @Test("a generated file edited by hand after K3s wrote it") func handEdited() throws {
        let (root, path) = try Self.node("k3s-hand-edited")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let drift = NodeConfiguration.read(root: root).drift()
        #expect(drift.map(\.kind) == [.editedByHand])
        #expect(drift.first?.file == "/var/lib/rancher/k3s/agent/etc/containerd/certs.d/docker.io/hosts.toml")
        #expect(drift.first?.message.contains("K3s overwrites it at its next start") == true)
    }

    @Test("a config.toml template without config_path: certs.d is not read at all") func template() throws {
        let (root, path) = try Self.node("k3s-template")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let node = NodeConfiguration.read(root: root)
        #expect(node.containerdTemplate?.path == "/var/lib/rancher/k3s/agent/etc/containerd/config.toml.tmpl")
        // The template also drops the credentials K3s would have written.
        #expect(node.drift().map(\.kind) == [.templateWithoutConfigPath, .credentialsMissing])
        #expect(node.certsDirectory == nil)
        #expect(try node.hostsConfiguration() == nil)
    }

    @Test("RKE2 with data-dir and private-registry from a config.yaml.d drop-in, containerd config version 3") func rke2() throws {
        let (root, path) = try Self.node("rke2")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let node = NodeConfiguration.read(root: root)
        #expect(node.distribution == .rke2)
        #expect(node.flags.files == ["/etc/rancher/rke2/config.yaml", "/etc/rancher/rke2/config.yaml.d/50-registry.yaml"])
        #expect(node.registriesYAML?.path == "/etc/rke2-registries/registries.yaml")
        #expect(node.containerdSettings?.configPath == "/srv/rke2/agent/etc/containerd/certs.d")
        #expect(node.certsDirectory?.exists == true)
        #expect(node.drift().isEmpty)
    }

    @Test("plain containerd: config_path, and an unreadable CA that fails every pull before a request") func containerd() throws {
        let (root, path) = try Self.node("containerd")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let node = NodeConfiguration.read(root: root)
        #expect(node.distribution == .containerd)
        #expect(node.certsDirectory?.path == "/etc/containerd/certs.d")
        #expect(node.versions.containerd == Containerd(version: ContainerdVersion(2, 0, 7), build: .upstream))
        let plan = try #require(try node.hostsConfiguration()).plan(for: ImageReference(parsing: "registry.example.com/app:1"))
        #expect(plan.tlsFileFailsPull)
        #expect(plan.unreadableTLSFile?.path == "/etc/containerd/certs.d/registry.example.com/missing-ca.pem")
    }

    @Test("plain containerd from Debian: no Go build information in the binary, so the version comes from dpkg's record") func containerdDebian() throws {
        let (root, path) = try Self.node("containerd-debian")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let node = NodeConfiguration.read(root: root)
        #expect(node.distribution == .containerd)
        #expect(node.versions.containerdVersion == "1.6.20~ds1")
        #expect(node.versions.containerdPackage == "containerd 1.6.20~ds1-1+deb12u3")
        #expect(node.versions.containerdBinary == "/usr/bin/containerd")
        #expect(node.versions.containerd == Containerd(version: ContainerdVersion(1, 6, 20), build: .upstream))
    }

    @Test("dpkg records: the installed containerd package only; epoch and revision dropped") func dpkgRecords() {
        let status = "Package: containerd.io\nStatus: deinstall ok config-files\nVersion: 1.7.27-1\n\n"
            + "Package: containerd.io\nStatus: hold ok installed\nVersion: 1:1.7.27-1\n"
        let found = NodeVersions.dpkgContainerd(in: status)
        #expect(found?.package == "containerd.io")
        #expect(found.map { NodeVersions.upstreamVersion(ofDebian: $0.version) } == "1.7.27")
        #expect(NodeVersions.dpkgContainerd(in: "Package: containerd\nStatus: deinstall ok config-files\nVersion: 1.6.20~ds1-1\n") == nil)
        #expect(NodeVersions.upstreamVersion(ofDebian: "1.7.12-0ubuntu4") == "1.7.12")
        #expect(NodeVersions.upstreamVersion(ofDebian: "2.0.0") == "2.0.0")
    }

    @Test("embedded registry: the address from node-ip, so the render matches the generated tree") func embedded() throws {
        let (root, path) = try Self.node("k3s-embedded")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let node = NodeConfiguration.read(root: root)
        #expect(node.renderOptions.embeddedRegistry?.address == "10.11.12.13:6443")
        #expect(node.drift().isEmpty)
    }

    @Test("nothing found: no distribution, containerd's defaults") func empty() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hawser-node-empty-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let node = NodeConfiguration.read(root: NodeRoot(directory.path))
        #expect(node.distribution == nil)
        #expect(try node.hostsConfiguration() == nil)
        #expect(node.summary.hasPrefix("no K3s, RKE2 or containerd configuration found"))
    }
}
