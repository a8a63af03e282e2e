import Foundation

/// The containerd (and K3s) versions a node runs, read from its binaries
/// without running them: Go writes the module versions and `-X …version.Version=`
/// link flags into every binary it builds, and K3s's replace directive names its
/// containerd fork (`=>\tgithub.com/k3s-io/containerd/v2\tv2.1.5-k3s1`). A plain
/// containerd built without that information (Debian's) is dated by its package.
public struct NodeVersions: Sendable, Hashable, Codable {
    /// The binary read and the version found, e.g. "2.1.5-k3s1".
    public var containerdBinary: String?
    public var containerdVersion: String?
    /// The package the version was read from, when the binary does not carry it:
    /// e.g. "containerd 1.6.20~ds1-1+deb12u3" from dpkg's records.
    public var containerdPackage: String?
    public var k3sVersion: String?

    /// The model for that version, when Hawser knows its release line.
    public var containerd: Containerd? {
        guard let containerdVersion else { return nil }
        let upstream = !containerdVersion.contains("-k3s")
        return try? Containerd.parse(String(containerdVersion.prefix { $0 != "~" && $0 != "+" }), upstream: upstream)
    }

    static func read(distribution: NodeDistribution?, dataDirectory: String, root: NodeRoot) -> NodeVersions {
        var versions = NodeVersions()
        let candidates: [String]
        switch distribution {
        case .k3s: candidates = [dataDirectory + "/data/current/bin/containerd", "/usr/local/bin/k3s", "/usr/bin/k3s"]
        case .rke2: candidates = [dataDirectory + "/bin/containerd", dataDirectory + "/data/current/bin/containerd"]
        case .containerd: candidates = ["/usr/local/bin/containerd", "/usr/bin/containerd"]
        case nil: candidates = []
        }
        for candidate in candidates where root.exists(candidate) {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: root.resolve(candidate)), options: .alwaysMapped) else { continue }
            if versions.k3sVersion == nil { versions.k3sVersion = value(after: "github.com/k3s-io/k3s/pkg/version.Version=", in: data) }
            if let found = containerdVersion(in: data) {
                versions.containerdBinary = candidate
                versions.containerdVersion = found
                break
            }
        }
        if versions.containerdVersion == nil, distribution == .containerd,
           let binary = candidates.first(where: { root.exists($0) }),
           let status = root.text(dpkgStatus), let installed = dpkgContainerd(in: status) {
            versions.containerdBinary = binary
            versions.containerdVersion = upstreamVersion(ofDebian: installed.version)
            versions.containerdPackage = "\(installed.package) \(installed.version)"
        }
        return versions
    }

    static func containerdVersion(in data: Data) -> String? {
        for marker in ["=>\tgithub.com/k3s-io/containerd/v2\t", "=>\tgithub.com/k3s-io/containerd\t",
                       "github.com/containerd/containerd/v2/version.Version=", "github.com/containerd/containerd/version.Version="] {
            if let value = value(after: marker, in: data), value.first.map({ $0 == "v" || $0.isNumber }) == true {
                return value.hasPrefix("v") ? String(value.dropFirst()) : value
            }
        }
        return nil
    }

    /// The text after `marker`, up to a space, tab, quote or newline.
    static func value(after marker: String, in data: Data) -> String? {
        guard let range = data.range(of: Data(marker.utf8)) else { return nil }
        var bytes: [UInt8] = []
        var index = range.upperBound
        while index < data.endIndex, bytes.count < 64 {
            let byte = data[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x22 || byte == 0x27 || byte == 0 { break }
            bytes.append(byte)
            index += 1
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}
