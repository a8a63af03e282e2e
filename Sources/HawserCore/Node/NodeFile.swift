import Foundation

/// A file Hawser looked for on the node: where, whether it is there, and when it
/// last changed (what tells a registries.yaml edited after K3s last started).
public struct NodeFile: Sendable, Hashable, Codable {
    /// Path as on the node (without the --root prefix).
    public let path: String
    /// What it is for: "registries.yaml", "K3s config", "certs.d", "containerd config", …
    public let role: String
    public let exists: Bool
    public let modified: Date?

    init(path: String, role: String, root: NodeRoot) {
        self.path = path
        self.role = role
        let attributes = try? FileManager.default.attributesOfItem(atPath: root.resolve(path))
        exists = attributes != nil
        modified = attributes?[.modificationDate] as? Date
    }
}

/// The filesystem a node's files are read from: "/" on the node itself, or a
/// copy of a node (`--root`), where every absolute path is looked up inside.
public struct NodeRoot: Sendable, Hashable {
    public let path: String

    public init(_ path: String = "/") {
        self.path = path
    }

    /// The real path of a node path.
    public func resolve(_ nodePath: String) -> String {
        var base = path
        while base.hasSuffix("/") { base.removeLast() }
        guard !base.isEmpty else { return nodePath }
        return base + "/" + nodePath.drop(while: { $0 == "/" })
    }

    func exists(_ nodePath: String) -> Bool { FileManager.default.fileExists(atPath: resolve(nodePath)) }

    func text(_ nodePath: String) -> String? {
        guard let data = FileManager.default.contents(atPath: resolve(nodePath)) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    func list(_ nodeDirectory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: resolve(nodeDirectory))) ?? []).sorted()
    }
}
