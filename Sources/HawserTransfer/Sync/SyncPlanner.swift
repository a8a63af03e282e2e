import HawserCore
import HawserRegistry

/// Maps every line of a list to its destination before anything is copied, so
/// a line that cannot be placed stops the sync with its line number.
public struct SyncPlanner: Sendable {
    public let target: SyncTarget
    /// Gives TLS and credentials per host (and, for `--for`, the plans).
    public let configuration: HostsConfiguration

    public init(target: SyncTarget, configuration: HostsConfiguration) {
        self.target = target
        self.configuration = configuration
    }

    public func mappings(for list: SyncList) throws -> [SyncMapping] {
        try list.entries.map { entry in
            do {
                return try mapping(for: entry)
            } catch let error as ConfigError {
                throw error
            } catch {
                throw ConfigError(.invalidImageList, at: SourceLocation(file: list.file, line: entry.line, column: 1), "\(error)")
            }
        }
    }

    func mapping(for entry: SyncEntry) throws -> SyncMapping {
        switch target {
        case .prefix(let registry, let prefix):
            var repository = entry.image.repository
            var tag = entry.image.tag
            if let target = entry.target {
                let named = try ImageReference(parsing: "example.invalid/" + target)
                repository = named.repository
                tag = target.contains(":") ? named.tag : tag
            }
            let image = ImageReference(registry: registry, repository: prefix.isEmpty ? repository : "\(prefix)/\(repository)",
                                       tag: tag, digest: tag == nil ? entry.image.digest : nil)
            let attempt = try RegistryEndpoints.serverAttempt(for: image, in: configuration)
            return SyncMapping(entry: entry, source: entry.image, destination: attempt, tag: tag)
        case .firstMirror:
            let plan = try configuration.plan(for: entry.image)
            guard let first = plan.attempts.first, case .mirror = first.role else {
                throw ConfigError(.invalidImageList, at: nil,
                                  "the configuration has no mirror for \(entry.image.registry): nodes pull \(entry.image) from the registry itself, so there is nothing to fill",
                                  fix: "add a mirror for \(entry.image.registry) to the registries.yaml, or use --to")
            }
            if entry.target != nil {
                throw ConfigError(.invalidImageList, at: nil, "`target:` goes with --to; with --for the plan decides the name")
            }
            return SyncMapping(entry: entry, source: entry.image, destination: Self.writable(first), tag: entry.image.tag)
        }
    }

    /// The mirror attempt as a push addresses it: without `?ns=` (a query for
    /// reads), and with a custom path under /v2 folded into the repository
    /// (`/v2/project` + `library/nginx` → `project/library/nginx`), so token
    /// scopes and mounts name the repository the registry really has.
    static func writable(_ attempt: Attempt) -> Attempt {
        var endpoint = attempt.endpoint
        var repository = attempt.repository
        if endpoint.path.hasPrefix("/v2/") {
            let project = endpoint.path.dropFirst(4).split(separator: "/").joined(separator: "/")
            if !project.isEmpty { repository = "\(project)/\(repository)" }
            endpoint = Endpoint(scheme: endpoint.scheme, host: endpoint.host, path: "/v2")
        }
        return Attempt(position: attempt.position, role: attempt.role, endpoint: endpoint, transport: attempt.transport,
                       capabilities: attempt.capabilities, repository: repository, rewrite: attempt.rewrite, namespace: nil,
                       credentialsKey: attempt.credentialsKey, headers: attempt.headers)
    }
}
