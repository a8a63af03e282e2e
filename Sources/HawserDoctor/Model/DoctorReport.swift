import HawserCore

/// The whole diagnosis of one image: the plan, what each attempt did, the root
/// cause and its fix, and what K3s would have shown instead.
public struct DoctorReport: Sendable {
    public let plan: Plan
    /// `hawser check` findings that bear on this image.
    public let findings: [Finding]
    public let attempts: [AttemptDiagnosis]
    public let rootCause: RootCause
    /// nil when the image can be pulled.
    public let fix: Fix?
    /// The error K3s (containerd) would report for the same setup, nil if it pulls.
    public let containerdError: String?
    /// Why that error differs from the root cause, when it does.
    public let containerdExplanation: String?
    /// The same failure as `ctr images pull` prints it.
    public var ctrError: String?
    /// What other versions of containerd (same build) would show instead, when
    /// their plan is the same and only the choice or wording of the error differs.
    public var otherVersions: [VersionMessage] = []

    public struct VersionMessage: Sendable, Hashable, Codable {
        /// "1.6.0–1.7.34".
        public let versions: String
        public let message: String
    }

    public var pullable: Bool { rootCause.code == .pullable }

    public init(plan: Plan, findings: [Finding], attempts: [AttemptDiagnosis], rootCause: RootCause, fix: Fix?,
                containerdError: String?, containerdExplanation: String?) {
        self.plan = plan
        self.findings = findings
        self.attempts = attempts
        self.rootCause = rootCause
        self.fix = fix
        self.containerdError = containerdError
        self.containerdExplanation = containerdExplanation
    }
}
