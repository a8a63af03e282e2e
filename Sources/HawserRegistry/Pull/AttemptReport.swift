import HawserCore

/// What happened at one attempt of the plan: served the image, failed (and
/// why), or was not needed because an earlier host served it.
public struct AttemptReport: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case served
        case failed(RegistryError)
        case notTried
    }

    public let position: Int
    /// The first URL asked at this host (the manifest, or the upload for a push).
    public let url: String
    public let endpoint: Endpoint
    public let transport: TransportMode
    public let outcome: Outcome
    /// For a served attempt: how the host was actually reached ("HTTPS", "plain HTTP
    /// after the HTTPS attempt", …).
    public let servedOver: String?

    public init(attempt: Attempt, url: String, outcome: Outcome, servedOver: String? = nil) {
        position = attempt.position
        self.url = url
        endpoint = attempt.endpoint
        transport = attempt.transport
        self.outcome = outcome
        self.servedOver = servedOver
    }

    public var error: RegistryError? {
        if case .failed(let error) = outcome { return error }
        return nil
    }

    /// "served", "not tried", or the failure in one line.
    public var summary: String {
        switch outcome {
        case .served: servedOver.map { "served over \($0)" } ?? "served"
        case .notTried: "not tried (an earlier host served the image)"
        case .failed(let error):
            (error.status.map { "HTTP \($0): " } ?? "") + error.reason
                + (error.registryErrors.isEmpty ? "" : " (registry: " + error.registryErrors.map(\.description).joined(separator: "; ") + ")")
                + " [\(error.code.rawValue)]"
        }
    }
}
