/// A containerd release, as far as Hawser's behaviour model needs it: the
/// release line (major.minor) and, where behaviour changed within a line, the
/// patch. "1.7" alone means the newest patch of 1.7 that Hawser knows.
public struct ContainerdVersion: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let major: Int
    public let minor: Int
    public let patch: Int

    public init(_ major: Int, _ minor: Int, _ patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// The release line, "1.7".
    public var line: String { "\(major).\(minor)" }
    public var description: String { "\(major).\(minor).\(patch)" }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    /// Whether `other` belongs to the same release line.
    public func sameLine(as other: Self) -> Bool { major == other.major && minor == other.minor }

    /// Orders release lines only (1.7.x against 2.0.x), ignoring the patch.
    public func lineIsBefore(_ other: Self) -> Bool { (major, minor) < (other.major, other.minor) }

    /// The release lines Hawser models, each with the newest patch it knows of
    /// (containerd's tags as of late 2026). A bare "1.7" means that patch.
    public static let knownLines: [ContainerdVersion] = [
        ContainerdVersion(1, 6, 39), ContainerdVersion(1, 7, 34), ContainerdVersion(2, 0, 11),
        ContainerdVersion(2, 1, 9), ContainerdVersion(2, 2, 7), ContainerdVersion(2, 3, 4),
    ]

    /// The known lines as people write them: "1.6, 1.7, 2.0, 2.1, 2.2, 2.3".
    public static var knownLinesList: String { knownLines.map(\.line).joined(separator: ", ") }
}
