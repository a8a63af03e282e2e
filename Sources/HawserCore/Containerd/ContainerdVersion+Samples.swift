extension ContainerdVersion {
    /// One version from every stretch of releases in which no modelled behaviour
    /// changes: each line's first and newest patch, and both sides of every
    /// boundary in ContainerdBehavior. Asking each of them is asking every version.
    public static var samples: [ContainerdVersion] {
        var set = Set<ContainerdVersion>()
        for newest in knownLines {
            set.insert(ContainerdVersion(newest.major, newest.minor, 0))
            set.insert(newest)
        }
        for behavior in ContainerdBehavior.allCases {
            for first in behavior.versions.since {
                set.insert(first)
                if first.patch > 0 { set.insert(ContainerdVersion(first.major, first.minor, first.patch - 1)) }
            }
            for last in behavior.versions.until {
                set.insert(last)
                set.insert(ContainerdVersion(last.major, last.minor, last.patch + 1))
            }
        }
        let lines = Set(knownLines.map(\.line))
        return set.filter { version in
            lines.contains(version.line) && version.patch <= (knownLines.first { $0.sameLine(as: version) }?.patch ?? 0)
        }.sorted()
    }
}

/// Stretches of consecutive sample versions that give the same answer, so a
/// difference can be said as "containerd 1.7.8–1.7.23: …".
public struct VersionStretch<Answer: Hashable & Sendable>: Sendable {
    public let first: ContainerdVersion
    public let last: ContainerdVersion
    public let answer: Answer

    /// "1.7.8–1.7.23", "2.0.0–2.3.4", "1.7.7".
    public var label: String { first == last ? "\(first)" : "\(first)–\(last)" }

    /// Asks `answer` for every sample version and groups neighbours that agree.
    public static func group(_ answer: (ContainerdVersion) -> Answer) -> [VersionStretch] {
        var stretches: [VersionStretch] = []
        for version in ContainerdVersion.samples {
            let value = answer(version)
            if let last = stretches.last, last.answer == value {
                stretches[stretches.count - 1] = VersionStretch(first: last.first, last: version, answer: value)
            } else {
                stretches.append(VersionStretch(first: version, last: version, answer: value))
            }
        }
        return stretches
    }
}
