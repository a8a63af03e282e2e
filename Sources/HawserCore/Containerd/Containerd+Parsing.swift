import Foundation

/// A `--containerd` or `--k3s-version` value that Hawser cannot model.
public struct ContainerdVersionError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

extension Containerd {
    /// Reads `--containerd VALUE` (with `--upstream` or not): "1.7", "1.7.24",
    /// "v2.1.5", "2.1.5-k3s1" (a K3s build version names its build).
    public static func parse(_ text: String, upstream: Bool) throws(ContainerdVersionError) -> Containerd {
        var value = text.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("v") { value.removeFirst() }
        var build: ContainerdBuild = upstream ? .upstream : .k3s
        if let suffix = value.range(of: "-k3s") {
            if upstream {
                throw ContainerdVersionError(description: "\(text) is a K3s build of containerd; drop --upstream, or give the upstream version \(value[..<suffix.lowerBound])")
            }
            build = .k3s
            value = String(value[..<suffix.lowerBound])
        }
        return Containerd(version: try ContainerdVersion.parse(value, written: text), build: build)
    }

    /// Reads `--k3s-version v1.30.4+k3s1`: the containerd that release embeds, K3s's build.
    public static func forK3s(_ text: String) throws(ContainerdVersionError) -> Containerd {
        guard let release = K3sRelease.parse(text) else {
            throw ContainerdVersionError(description: "\(text) is not a K3s version; write it as K3s prints it, e.g. v1.33.5+k3s1")
        }
        guard let containerd = K3sRelease.containerd(for: release) else {
            throw ContainerdVersionError(description: "no containerd is known for K3s \(text); Hawser knows K3s \(K3sRelease.knownLines) (or give --containerd VERSION)")
        }
        return Containerd(version: containerd, build: .k3s)
    }
}

extension ContainerdVersion {
    /// "1.7" (the newest patch Hawser knows of that line) or "1.7.24".
    static func parse(_ value: String, written: String) throws(ContainerdVersionError) -> ContainerdVersion {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        let unknown = ContainerdVersionError(description: "unknown containerd version \"\(written)\"; known: \(knownLinesList) (optionally with a patch, e.g. 1.7.24, or a K3s build, e.g. 2.1.5-k3s1)")
        guard parts.count == 2 || parts.count == 3, let major = parts[0], let minor = parts[1] else { throw unknown }
        guard let newest = knownLines.first(where: { $0.major == major && $0.minor == minor }) else { throw unknown }
        if parts.count == 2 { return newest }
        guard let patch = parts[2], patch >= 0 else { throw unknown }
        return ContainerdVersion(major, minor, patch)
    }
}
