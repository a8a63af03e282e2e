import Foundation
import Yams

/// The K3s/RKE2 settings that decide what registries.yaml becomes, read as K3s
/// reads them: config.yaml, then config.yaml.d/*.yaml in name order, a later
/// file's value replacing an earlier one's.
public struct K3sNodeFlags: Sendable, Hashable, Codable {
    public var disableDefaultRegistryEndpoint = false
    /// `embedded-registry: true` (spegel).
    public var embeddedRegistry = false
    public var nodeIP: String?
    public var dataDirectory: String?
    /// `private-registry`: another registries.yaml path.
    public var privateRegistry: String?
    /// Files read, in order.
    public var files: [String] = []
    /// Files that could not be read as YAML maps, with why.
    public var problems: [String] = []

    static let keys = ["disable-default-registry-endpoint", "embedded-registry", "node-ip", "data-dir", "private-registry"]

    static func read(_ directory: String, root: NodeRoot) -> K3sNodeFlags {
        var flags = K3sNodeFlags()
        let dropIns = root.list(directory + "/config.yaml.d").filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        for path in [directory + "/config.yaml"] + dropIns.map({ directory + "/config.yaml.d/" + $0 }) where root.exists(path) {
            flags.files.append(path)
            guard let text = root.text(path) else {
                flags.problems.append("\(path) cannot be read")
                continue
            }
            flags.apply(text, file: path)
        }
        return flags
    }

    /// Applies the top-level scalars of one file (lists and other keys are not ours).
    mutating func apply(_ text: String, file: String) {
        // A config file is small; a huge or deeply nested one is refused rather than parsed
        // (Yams recurses once per level: the same limits as registries.yaml).
        guard text.utf8.count <= RegistriesConfig.maximumSize,
              YAMLNestingCheck.firstExcess(in: text, limit: RegistriesConfig.maximumDepth) == nil else {
            problems.append("\(file) is too large or too deeply nested to be a K3s config file")
            return
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, Resolver.basic)
        } catch {
            problems.append("\(file) is not valid YAML")
            return
        }
        guard let mapping = node?.mapping else { return }
        for (key, value) in mapping {
            guard let name = key.scalar?.string, Self.keys.contains(name), let scalar = value.scalar?.string else { continue }
            switch name {
            case "disable-default-registry-endpoint": disableDefaultRegistryEndpoint = Self.yes(scalar)
            case "embedded-registry": embeddedRegistry = Self.yes(scalar)
            case "node-ip": nodeIP = scalar.split(separator: ",").first.map(String.init)
            case "data-dir": dataDirectory = scalar
            case "private-registry": privateRegistry = scalar
            default: break
            }
        }
    }

    /// YAML 1.1 true, as K3s's flag parsing accepts it.
    static func yes(_ text: String) -> Bool { ["true", "yes", "on", "y", "1"].contains(text.lowercased()) }
}
