import HawserCore

/// The stable JSON form of `hawser doctor --json`, schema `hawser.doctor/v1`
/// (docs/json.md). Fields are only ever added.
public struct DoctorDocument: Codable, Sendable {
    public struct AttemptDocument: Codable, Sendable {
        public let position: Int
        public let url: String
        public let reason: String
        public let transport: String
        public let credentialsKey: String?
        public let fellBackToHTTP: Bool
        public let checks: [Check]
        /// nil when the attempt found the manifest.
        public let failure: Failure?
        public let digest: String?
    }

    public struct FindingDocument: Codable, Sendable {
        public let code: String
        public let severity: String
        public let line: Int?
        public let message: String
    }

    public var schema = "hawser.doctor/v1"
    public let image: String
    public let pullable: Bool
    public let rootCause: RootCauseDocument
    public let fix: Fix?
    /// The containerd modelled: {version, build}.
    public let containerd: PlanDocument.ContainerdDocument
    /// What K3s (kubelet, through the CRI) would show.
    public let containerdError: String?
    public let containerdExplanation: String?
    /// What `ctr images pull` would print.
    public let ctrError: String?
    /// What other containerd versions would show instead (same plan, other choice or wording).
    public let otherVersions: [DoctorReport.VersionMessage]
    public let ignoredFile: IgnoredHostsFile?
    public let unreadableTLSFile: UnreadableTLSFile?
    public let attempts: [AttemptDocument]
    public let findings: [FindingDocument]

    public struct RootCauseDocument: Codable, Sendable {
        public let code: String
        public let slug: String
        public let summary: String
        public let evidence: [String]
        public let attempt: Int?
    }

    public init(_ report: DoctorReport) {
        image = report.plan.image.description
        pullable = report.pullable
        rootCause = RootCauseDocument(code: report.rootCause.code.rawValue, slug: report.rootCause.code.slug, summary: report.rootCause.summary,
                                      evidence: report.rootCause.evidence, attempt: report.rootCause.attempt)
        fix = report.fix
        containerd = PlanDocument.ContainerdDocument(report.plan.containerd)
        containerdError = report.containerdError
        containerdExplanation = report.containerdExplanation
        ctrError = report.ctrError
        otherVersions = report.otherVersions
        ignoredFile = report.plan.ignoredFile
        unreadableTLSFile = report.plan.unreadableTLSFile
        attempts = report.attempts.map {
            AttemptDocument(position: $0.attempt.position, url: $0.url, reason: $0.attempt.reason, transport: $0.attempt.transport.kind,
                            credentialsKey: $0.attempt.credentialsKey, fellBackToHTTP: $0.fellBackToHTTP, checks: $0.checks,
                            failure: $0.failure, digest: $0.digest)
        }
        findings = report.findings.map {
            FindingDocument(code: $0.code.rawValue, severity: $0.severity.rawValue, line: $0.location?.line, message: $0.message)
        }
    }
}
