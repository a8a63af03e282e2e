/// K3s releases and the containerd each embeds (K3s's build of it), so that
/// `--k3s-version v1.33.5+k3s1` means "the containerd that release runs".
/// The table and its sources are in docs/semantics.md §7.
public struct K3sRelease: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let minor: Int
    public let patch: Int

    public init(minor: Int, patch: Int) {
        self.minor = minor
        self.patch = patch
    }

    public var description: String { "v1.\(minor).\(patch)+k3s1" }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.minor, lhs.patch) < (rhs.minor, rhs.patch) }

    /// One row: from this K3s release on (within its minor line), this containerd.
    struct Row: Sendable {
        let from: K3sRelease
        let containerd: ContainerdVersion
    }

    /// "v1.30.4+k3s1", "1.30.4", "v1.30.4-rc1+k3s1", "v1.30" (the line's newest known row).
    public static func parse(_ text: String) -> K3sRelease? {
        var value = Substring(text)
        if value.hasPrefix("v") { value = value.dropFirst() }
        if let plus = value.firstIndex(where: { $0 == "+" || $0 == "-" }) { value = value[..<plus] }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0] == "1", let minor = Int(parts[1]) else { return nil }
        if parts.count == 2 { return K3sRelease(minor: minor, patch: Int.max) }
        guard let patch = Int(parts[2]) else { return nil }
        return K3sRelease(minor: minor, patch: patch)
    }

    /// The containerd a release embeds: the last row of its minor line at or before it.
    public static func containerd(for release: K3sRelease) -> ContainerdVersion? {
        table.filter { $0.from.minor == release.minor && $0.from <= release }.max { $0.from < $1.from }?.containerd
    }

    /// The stable channel's release line, its newest known row.
    public static var newestStable: (release: K3sRelease, containerd: ContainerdVersion) {
        let row = table.filter { $0.from.minor == stableMinor }.max { $0.from < $1.from }
            ?? Row(from: K3sRelease(minor: 36, patch: 4), containerd: ContainerdVersion(2, 3, 4))
        return (row.from, row.containerd)
    }

    /// "v1.28 to v1.36".
    public static var knownLines: String {
        let minors = table.map(\.from.minor)
        return "v1.\(minors.min() ?? 0) to v1.\(minors.max() ?? 0)"
    }
}
