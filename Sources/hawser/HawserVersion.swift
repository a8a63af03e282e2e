import HawserBuildInfo

/// `hawser --version`: the release and, in a packaged build, the commit.
enum HawserVersion {
    static let release = "0.2.0"

    static var commit: String { String(cString: hawser_build_commit()) }

    static var text: String {
        commit.isEmpty ? release : "\(release) (commit \(commit))"
    }
}
