import HawserCore

/// Everything learned about one attempt of the plan.
public struct AttemptDiagnosis: Sendable, Hashable {
    public let attempt: Attempt
    /// The URL probed (the manifest of the image on this host).
    public let url: String
    public let checks: [Check]
    /// nil when the manifest was found.
    public let failure: Failure?
    /// The digest the host resolved the reference to, when it succeeded.
    public let digest: String?
    /// True when containerd's HTTPS-then-HTTP fallback went to plain HTTP.
    public let fellBackToHTTP: Bool

    public init(attempt: Attempt, url: String, checks: [Check], failure: Failure?, digest: String?, fellBackToHTTP: Bool = false) {
        self.attempt = attempt
        self.url = url
        self.checks = checks
        self.failure = failure
        self.digest = digest
        self.fellBackToHTTP = fellBackToHTTP
    }

    public var succeeded: Bool { failure == nil }
}
