import HawserCore

/// From what every attempt did (and what `check` found) to one root cause and
/// its fix: pure logic, so each situation is testable without a network.
public struct RootCauseAnalyzer: Sendable {
    public let plan: Plan
    public let config: RegistriesConfig?
    public let findings: [Finding]

    public init(plan: Plan, config: RegistriesConfig?, findings: [Finding]) {
        self.plan = plan
        self.config = config
        self.findings = findings
    }

    var image: ImageReference { plan.image }
    var locator: ConfigLocator { ConfigLocator(config: config, image: plan.image) }

    public func report(_ attempts: [AttemptDiagnosis]) -> DoctorReport {
        let (cause, fix) = diagnose(attempts)
        var containerdError: String?
        var explanation: String?
        if cause.code != .pullable {
            if attempts.isEmpty {
                containerdError = ContainerdErrorModel.noHosts(image: image)
            } else if let reported = ContainerdErrorModel.reported(attempts, image: image) {
                containerdError = reported.message
                if let position = reported.attempt, let causeAttempt = cause.attempt, position != causeAttempt {
                    explanation = "containerd reports the first failure that is not a 404, here attempt \(position) (\(attempts[position - 1].attempt.endpoint)); the root cause is attempt \(causeAttempt)'s. The message K3s shows is about a host that was never going to work."
                } else if reported.attempt == nil {
                    explanation = "every host answered 404, so containerd says only \"not found\", without saying where it looked."
                } else if let position = reported.attempt, cause.attempt == nil {
                    explanation = "containerd reports attempt \(position)'s error, which is a symptom: \(cause.summary)"
                }
            }
        }
        return DoctorReport(plan: plan, findings: findings, attempts: attempts, rootCause: cause, fix: fix,
                            containerdError: containerdError, containerdExplanation: explanation)
    }

    func diagnose(_ attempts: [AttemptDiagnosis]) -> (RootCause, Fix?) {
        if let success = attempts.first(where: \.succeeded) {
            var evidence = ["attempt \(success.attempt.position) (\(success.attempt.endpoint)) resolved \(image) to \(success.digest ?? "a manifest")"]
            for earlier in attempts.prefix(while: { !$0.succeeded }) {
                evidence.append("attempt \(earlier.attempt.position) failed first: \(earlier.failure?.message ?? "")")
            }
            return (RootCause(.pullable, "\(image) can be pulled: attempt \(success.attempt.position) (\(success.attempt.reason)) serves it.",
                              evidence: evidence, attempt: success.attempt.position), nil)
        }
        if attempts.isEmpty {
            return (RootCause(.noEndpoint, "No endpoint is configured for \(image.registry): the hosts.toml in force has no hosts and no server line."),
                    Fix("Give the registry an endpoint, or let containerd use its default one.", key: "mirrors", file: locator.file,
                        write: "mirrors:\n  \"\(image.registry)\":\n    endpoint:\n      - \"https://\(image.registry)\""))
        }
        // A mirror written for host:port while the image names the host alone (or the reverse).
        let usedMirror = attempts.contains { if case .mirror = $0.attempt.role { true } else { false } }
        if !usedMirror, let near = locator.nearMirrorKey {
            let line = near.location?.line
            return (RootCause(.mirrorNotApplied,
                              "The mirror is configured for `\(near.key)`, but the image is named `\(image.registry)/…`: to containerd these are different registries, so the mirror is never used.",
                              evidence: ["registries.yaml has mirrors.\"\(near.key)\"" + (line.map { " (line \($0))" } ?? ""),
                                         "the plan for \(image) has only \(attempts.map { $0.attempt.endpoint.description }.joined(separator: ", "))"],
                              attempt: nil),
                    Fix("Name the image with the registry exactly as the mirror key (`\(near.key)/\(image.repository)`), or add a mirror key for `\(image.registry)`.",
                        key: "mirrors.\"\(image.registry)\"", file: locator.file, line: line,
                        write: "mirrors:\n  \"\(image.registry)\":\n    endpoint:\n" + near.endpoints.map { "      - \"\($0.text)\"" }.joined(separator: "\n")))
        }
        // The first attempt that failed for a reason other than 404 is the one the user's setup is about;
        // when every host answered 404 the image is simply not there.
        guard let primary = attempts.first(where: { $0.failure?.kind != .notFound }), let failure = primary.failure else {
            return notFoundEverywhere(attempts)
        }
        // A 404 on a mirror before a fallback that cannot work: the 404 is the real story.
        if let mirror404 = attempts.first(where: { $0.failure?.kind == .notFound && $0.attempt.isMirror }),
           mirror404.attempt.position < primary.attempt.position, !primary.attempt.isMirror {
            return notOnMirror(mirror404, fallback: primary)
        }
        let (root, fix) = cause(for: primary, failure: failure, all: attempts)
        // Say what else failed, so that fixing the root cause holds no surprise.
        let others = attempts.filter { $0.attempt.position != primary.attempt.position }.compactMap { other in
            other.failure.map { "attempt \(other.attempt.position) (\(other.attempt.endpoint)) also failed: \($0.message)" }
        }
        return (RootCause(root.code, root.summary, evidence: root.evidence + others, attempt: root.attempt), fix)
    }
}

extension Attempt {
    var isMirror: Bool { if case .mirror = role { true } else { false } }
}
