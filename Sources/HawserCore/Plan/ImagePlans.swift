/// One image's hosts.toml as read from disk (or rendered), ready to be planned
/// for any containerd: the reading and the checks of its TLS files happen once.
public struct ImagePlans: Sendable {
    public let image: ImageReference
    let source: Plan.Source
    /// The file that applies: nil when none, a failure when it does not decode at all.
    let parsed: Result<HostsFile, ConfigError>?
    /// What containerd falls back to when it ignores the file: the folder's docker-style certificates.
    let fallback: HostsFile?
    let credentialsKey: Planner.CredentialsLookup
    private let parsedUnreadable: UnreadableTLSFile?
    private let fallbackUnreadable: UnreadableTLSFile?

    init(image: ImageReference, source: Plan.Source, parsed: Result<HostsFile, ConfigError>?, fallback: HostsFile?,
         credentialsKey: @escaping Planner.CredentialsLookup) {
        self.image = image
        self.source = source
        self.parsed = parsed
        self.fallback = fallback
        self.credentialsKey = credentialsKey
        if case .success(let file) = parsed { parsedUnreadable = UnreadableTLSFile.first(in: file) } else { parsedUnreadable = nil }
        fallbackUnreadable = fallback.flatMap { UnreadableTLSFile.first(in: $0) }
    }

    /// The plan this containerd makes from the file.
    public func plan(_ containerd: Containerd) -> Plan {
        var file: HostsFile?
        var ignored: IgnoredHostsFile?
        var unreadable: UnreadableTLSFile?
        switch parsed {
        case .success(let read):
            if let reason = read.rejection(by: containerd) {
                ignored = IgnoredHostsFile(file: read.source, reason: reason)
            } else {
                file = read
                unreadable = parsedUnreadable
            }
        case .failure(let error):
            ignored = IgnoredHostsFile(file: error.location?.file ?? image.registry, reason: error.message, line: error.location?.line)
        case nil:
            break
        }
        if ignored != nil {
            file = fallback
            unreadable = fallbackUnreadable
        }
        var plan = Planner(containerd: containerd, credentialsKey: credentialsKey).plan(for: image, hosts: file, source: source)
        plan.ignoredFile = ignored
        plan.unreadableTLSFile = unreadable
        return plan
    }
}
