/// The containerd whose behaviour Hawser reproduces: a version and a build.
/// Plans, the doctor's "what K3s would show", `check` and `pull` all ask it,
/// through `has(_:)`, instead of comparing versions themselves.
public struct Containerd: Sendable, Hashable, CustomStringConvertible {
    public let version: ContainerdVersion
    public let build: ContainerdBuild

    public init(version: ContainerdVersion, build: ContainerdBuild) {
        self.version = version
        self.build = build
    }

    /// What a current K3s node runs when nothing says otherwise: the containerd
    /// of the newest stable K3s release, K3s's build (docs/semantics.md §7).
    public static let `default` = Containerd(version: K3sRelease.newestStable.containerd, build: .k3s)

    public func has(_ behavior: ContainerdBehavior) -> Bool {
        behavior.builds.contains(build) && behavior.versions.contains(version)
    }

    /// "containerd 2.1.5 (K3s build)", "containerd 1.6.20 (upstream)".
    public var description: String {
        "containerd \(version) (\(build == .k3s ? "K3s build" : "upstream"))"
    }

    /// The same containerd at another version, for "1.7 would report … instead".
    public func at(_ other: ContainerdVersion) -> Containerd { Containerd(version: other, build: build) }
}
