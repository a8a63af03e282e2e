/// containerd's choice of certs.d folder for a registry: `host_port_`, then
/// `host:port`, then `_default`; the first that exists wins, with no merging.
public enum HostsDirectoryLookup {
    public static let defaultDirectory = "_default"

    /// Candidate folder names, in the order containerd tries them.
    public static func candidates(for registry: String) -> [String] {
        var names: [String] = []
        if let colon = registry.lastIndex(of: ":"), colon != registry.startIndex {
            names.append(String(registry[..<colon]) + "_" + String(registry[registry.index(after: colon)...]) + "_")
        }
        names.append(registry)
        names.append(defaultDirectory)
        return names
    }

    /// The first candidate for which `exists` is true.
    public static func directory(for registry: String, exists: (String) -> Bool) -> String? {
        candidates(for: registry).first(where: exists)
    }
}
