import Foundation
import HawserCore
import NIOCore

/// `hawser node`: what is in force on this node, how it drifted from
/// registries.yaml, what `check` finds, and a live verdict on every endpoint.
public struct NodeReport: Sendable, Codable {
    public var schema = "hawser.node/v1"
    public let root: String
    /// "k3s", "rke2", "containerd", or nil when nothing was found.
    public let distribution: String?
    public let files: [NodeFile]
    public let flags: K3sNodeFlags
    /// Versions read from the node's binaries.
    public let versions: NodeVersions
    public let containerd: PlanDocument.ContainerdDocument
    /// The registry folders containerd reads (certs.d names, `_default` included).
    public let registries: [String]
    public let drift: [NodeDrift]
    public let findings: [DoctorDocument.FindingDocument]
    /// `ca`/`client` files the hosts.toml files name that cannot be read.
    public let unreadableTLSFiles: [UnreadableTLSFile]
    public let endpoints: [EndpointCheck]
    /// Files that could not be read (registries.yaml with a syntax error, …).
    public let problems: [String]

    /// 0: in force and healthy; 1: drift, warnings or a failing endpoint; 2: nothing usable could be read.
    public var exitStatus: Int32 {
        if distribution != nil && !problems.isEmpty && endpoints.isEmpty { return 2 }
        let errors = findings.contains { $0.severity == "error" }
        if errors || !drift.isEmpty || !unreadableTLSFiles.isEmpty || endpoints.contains(where: { !$0.healthy }) || !problems.isEmpty { return 1 }
        return 0
    }

    /// Reads the node under `root` and, unless `probe` is false, probes every endpoint.
    public static func make(root: NodeRoot, containerd: Containerd, probe: Bool, timeout: TimeAmount,
                            node read: NodeConfiguration? = nil, versions found: NodeVersions? = nil) async -> NodeReport {
        let node = read ?? NodeConfiguration.read(root: root)
        // Reading the binaries maps files of 100 MB: once per command.
        let versions = found ?? node.versions
        var problems = node.flags.problems
        var configuration: HostsConfiguration?
        do {
            configuration = try node.hostsConfiguration()
        } catch {
            problems.append(error.description)
        }
        var findings: [Finding] = []
        if let file = node.registriesYAML, file.exists, let loaded = try? RegistriesConfig.load(contentsOf: root.resolve(file.path)) {
            findings = Linter(options: node.renderOptions, containerd: containerd).check(loaded)
        }
        let registries = configuration.map(Self.registryFolders) ?? []
        var unreadable: [UnreadableTLSFile] = []
        for registry in registries {
            guard let image = try? ImageReference(parsing: "\(registry)/hawser/probe:latest"),
                  let plan = try? configuration?.plan(for: image, containerd: containerd), let file = plan.unreadableTLSFile,
                  !unreadable.contains(file) else { continue }
            unreadable.append(file)
        }
        var endpoints: [EndpointCheck] = []
        if probe, let configuration {
            endpoints = await NodeProber(configuration: configuration, containerd: containerd, timeout: timeout).probe(registries: registries)
        }
        return NodeReport(
            root: root.path, distribution: node.distribution?.rawValue, files: node.files, flags: node.flags, versions: versions,
            containerd: PlanDocument.ContainerdDocument(containerd), registries: registries, drift: node.drift(),
            findings: findings.map { DoctorDocument.FindingDocument(code: $0.code.rawValue, severity: $0.severity.rawValue, line: $0.location?.line, message: $0.message) },
            unreadableTLSFiles: unreadable, endpoints: endpoints, problems: problems)
    }

    /// The registries the configuration has a folder for, as image registries
    /// ("host_port_" is containerd's spelling of "host:port"); `_default` is not one.
    static func registryFolders(_ configuration: HostsConfiguration) -> [String] {
        let names: [String]
        switch configuration.origin {
        case .registriesYAML(_, let generated): names = generated.map(\.directory)
        case .hostsDirectory(let path): names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
        }
        return names.compactMap { name in
            if name == "_default" || name.hasPrefix(".") { return nil }
            if name.hasSuffix("_"), let underscore = name.dropLast().lastIndex(of: "_") {
                return name[..<underscore] + ":" + name[name.index(after: underscore)...].dropLast()
            }
            return name
        }
    }
}
