/// The containerd versions in which a behaviour holds, written the way release
/// notes say it: "since 1.6.25 and 1.7.7" (a fix backported to older lines),
/// "up to 1.7.31".
///
/// `since` lists the first version per release line. A line that is not
/// listed has it when it is newer than every listed line, and not when it is
/// older than all of them. `until` lists the last version per line the same
/// way: a line not listed keeps it when it is older than every listed line.
public struct VersionRange: Sendable, Hashable {
    public let since: [ContainerdVersion]
    public let until: [ContainerdVersion]

    public init(since: [ContainerdVersion] = [], until: [ContainerdVersion] = []) {
        self.since = since
        self.until = until
    }

    /// Every version.
    public static let always = VersionRange()

    public func contains(_ version: ContainerdVersion) -> Bool {
        Self.reached(version, since) && Self.notPassed(version, until)
    }

    static func reached(_ version: ContainerdVersion, _ firsts: [ContainerdVersion]) -> Bool {
        guard !firsts.isEmpty else { return true }
        if let first = firsts.first(where: { $0.sameLine(as: version) }) { return version.patch >= first.patch }
        return firsts.allSatisfy { $0.lineIsBefore(version) }
    }

    static func notPassed(_ version: ContainerdVersion, _ lasts: [ContainerdVersion]) -> Bool {
        guard !lasts.isEmpty else { return true }
        if let last = lasts.first(where: { $0.sameLine(as: version) }) { return version.patch <= last.patch }
        return lasts.allSatisfy { version.lineIsBefore($0) }
    }

    /// "since 1.6.25, 1.7.7", "up to 1.7.31", "all versions".
    public var summary: String {
        var parts: [String] = []
        if !since.isEmpty { parts.append("since " + since.map(\.description).joined(separator: ", ")) }
        if !until.isEmpty { parts.append("up to " + until.map(\.description).joined(separator: ", ")) }
        return parts.isEmpty ? "all versions" : parts.joined(separator: "; ")
    }
}
