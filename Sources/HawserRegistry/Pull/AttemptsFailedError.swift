import HawserCore

/// Every attempt of the plan failed. Leads with the most telling failure and
/// lists each attempt with its URL and what happened.
public struct AttemptsFailedError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        case allAttemptsFailed = "registry.all-attempts-failed"
        case noAttempts = "registry.no-attempts"
    }

    public let code: Code
    /// "pull" or "push".
    public let operation: String
    public let image: ImageReference
    public let attempts: [AttemptReport]
    /// The failure shown first.
    public let primary: AttemptReport?

    public init(operation: String, image: ImageReference, attempts: [AttemptReport]) {
        self.operation = operation
        self.image = image
        self.attempts = attempts
        self.code = attempts.isEmpty ? .noAttempts : .allAttemptsFailed
        self.primary = FailureRanking.mostTelling(attempts)
    }

    public var description: String {
        guard let primary, let error = primary.error else {
            let needed = operation == "push" ? "push" : (image.digest == nil ? "resolve" : "pull")
            return "cannot \(operation) \(image): no host in the plan has the '\(needed)' capability [\(code.rawValue)]"
        }
        var lines = ["cannot \(operation) \(image): every host failed; most telling (attempt \(primary.position)): \(error)"]
        for report in attempts {
            lines.append("  \(report.position). \(report.url) (\(report.transport.kind)): \(report.summary)")
        }
        return lines.joined(separator: "\n") + "\n[\(code.rawValue)]"
    }
}
