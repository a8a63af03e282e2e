/// The stable JSON form of a plan (`hawser resolve --json`), schema
/// `hawser.plan/v1`, documented in docs/json.md. Fields are only ever added.
public struct PlanDocument: Codable, Sendable, Hashable {
    public struct Source: Codable, Sendable, Hashable {
        /// "registries.yaml" or "hosts-dir".
        public let kind: String
        public let path: String
        /// certs.d folder in force, null when none applies.
        public let directory: String?
    }

    public struct Transport: Codable, Sendable, Hashable {
        /// plain-http, https-system-trust, https-custom-ca, https-client-certificate, https-skip-verify, https-then-http
        public let mode: String
        public let summary: String
        public let caFiles: [String]
        public let clientCertificates: [TLSSettings.ClientCertificate]
        public let skipVerify: Bool
        /// True when HTTPS is tried first and plain HTTP after.
        public let httpFallback: Bool
    }

    public struct Credentials: Codable, Sendable, Hashable {
        /// The registries.yaml `configs` key; never the secret.
        public let configsKey: String
        public let kinds: [String]
    }

    public struct AttemptDocument: Codable, Sendable, Hashable {
        public let position: Int
        public let url: String
        public let endpoint: String
        public let scheme: String
        public let host: String
        public let repository: String
        public let namespace: String?
        public let rewrite: Attempt.Rewrite?
        public let transport: Transport
        public let credentials: Credentials?
        public let capabilities: Capabilities
        /// "mirror" or "server".
        public let role: String
        public let reason: String
    }

    /// The containerd whose rules made the plan.
    public struct ContainerdDocument: Codable, Sendable, Hashable {
        public let version: String
        /// "k3s" or "upstream".
        public let build: String

        public init(_ containerd: Containerd) {
            version = containerd.version.description
            build = containerd.build.rawValue
        }
    }

    public var schema = "hawser.plan/v1"
    public let image: String
    public let containerd: ContainerdDocument
    /// The hosts.toml this containerd cannot decode and so ignores, if any.
    public let ignoredFile: IgnoredHostsFile?
    /// A `ca`/`client` file that cannot be read: containerd fails before any request.
    public let unreadableTLSFile: UnreadableTLSFile?
    /// Other containerd versions whose plan differs, in words.
    public let versionNotes: [String]
    /// By digest: the `/blobs/<digest>` pass containerd makes on every host after
    /// `/manifests/` failed on all of them (from 2.3 only after a 404 there).
    public let blobsFallback: [AttemptDocument]
    /// When a `ca`/`client` file of the hosts.toml cannot be read containerd
    /// contacts nothing (`attempts` is empty); these are the hosts it would try.
    public let blockedAttempts: [AttemptDocument]
    public let registry: String
    public let source: Source
    public let attempts: [AttemptDocument]
    public let skipped: [AttemptDocument]
    public let notes: [String]

    public init(plan: Plan, credentials: (String) -> RegistryCredentials?, notes: [String], versionNotes: [String] = []) {
        image = plan.image.description
        containerd = ContainerdDocument(plan.containerd)
        ignoredFile = plan.ignoredFile
        unreadableTLSFile = plan.unreadableTLSFile
        self.versionNotes = versionNotes
        registry = plan.image.registry
        switch plan.source {
        case .registriesYAML(let path, let directory): source = Source(kind: "registries.yaml", path: path, directory: directory)
        case .hostsDirectory(let path, let directory): source = Source(kind: "hosts-dir", path: path, directory: directory)
        }
        func convert(_ attempt: Attempt, _ url: String) -> AttemptDocument {
            let tls = attempt.transport.tls
            var httpFallback = false
            if case .httpsThenHTTP = attempt.transport { httpFallback = true }
            let role: String
            if case .mirror = attempt.role { role = "mirror" } else { role = "server" }
            return AttemptDocument(
                position: attempt.position, url: url, endpoint: attempt.endpoint.description,
                scheme: attempt.endpoint.scheme.rawValue, host: attempt.endpoint.host, repository: attempt.repository,
                namespace: attempt.namespace, rewrite: attempt.rewrite,
                transport: Transport(mode: attempt.transport.kind, summary: attempt.transport.summary, caFiles: tls?.caFiles ?? [],
                                     clientCertificates: tls?.clientCertificates ?? [], skipVerify: tls?.skipVerify == true,
                                     httpFallback: httpFallback),
                credentials: attempt.credentialsKey.map { Credentials(configsKey: $0, kinds: credentials($0)?.kinds ?? []) },
                capabilities: attempt.capabilities, role: role, reason: attempt.reason)
        }
        let manifests = plan.attempts.map { convert($0, $0.manifestURL(for: plan.image)) }
        attempts = plan.tlsFileFailsPull ? [] : manifests
        blockedAttempts = plan.tlsFileFailsPull ? manifests : []
        if let digest = plan.image.digest, !plan.tlsFileFailsPull {
            blobsFallback = plan.attempts.map { convert($0, $0.url("blobs", digest.description)) }
        } else {
            blobsFallback = []
        }
        skipped = plan.skipped.map { convert($0, $0.manifestURL(for: plan.image)) }
        self.notes = notes
    }
}
