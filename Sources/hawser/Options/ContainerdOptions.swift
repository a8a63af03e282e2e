import ArgumentParser
import HawserCore

/// Which containerd the answers are for: `--containerd VERSION`, `--upstream`,
/// `--k3s-version RELEASE`. Default: the containerd of the newest stable K3s,
/// K3s's build.
struct ContainerdOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "containerd version to model: \(ContainerdVersion.knownLinesList), optionally with a patch (1.7.24) or as a K3s build (2.1.5-k3s1). Default: \(Containerd.default.version), the containerd of K3s v1.\(K3sRelease.newestStable.release.minor) (stable).",
        valueName: "version"))
    var containerd: String?

    @Flag(name: .long, help: "Model upstream containerd (Debian's package, most distributions) instead of K3s's build: the default host is tried even without a `server` line, and `rewrite` tables are ignored.")
    var upstream = false

    @Option(name: .long, help: ArgumentHelp("K3s release whose embedded containerd to model, e.g. v1.33.5+k3s1.", valueName: "release"))
    var k3sVersion: String?

    func validate() throws {
        if containerd != nil && k3sVersion != nil {
            throw ValidationError("give either --containerd or --k3s-version, not both")
        }
        if upstream && k3sVersion != nil {
            throw ValidationError("--k3s-version means K3s's own containerd build; --upstream does not go with it")
        }
        _ = try resolved()
    }

    /// The flags' choice; without one, what the node's binaries say (`detected`), else the default.
    func resolved(detected: Containerd? = nil) throws -> Containerd {
        do {
            if let k3sVersion { return try Containerd.forK3s(k3sVersion) }
            if let containerd { return try Containerd.parse(containerd, upstream: upstream) }
        } catch {
            throw ValidationError(error.description)
        }
        if let detected { return upstream ? Containerd(version: detected.version, build: .upstream) : detected }
        return upstream ? Containerd(version: Containerd.default.version, build: .upstream) : .default
    }
}
