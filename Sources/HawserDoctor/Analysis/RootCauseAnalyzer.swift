import HawserCore

/// From what every attempt did (and what `check` found) to one root cause and
/// its fix: pure logic, so each situation is testable without a network.
public struct RootCauseAnalyzer: Sendable {
    public let plan: Plan
    public let config: RegistriesConfig?
    public let findings: [Finding]
    /// Whether another containerd would make the same plan (nil: assume it would).
    public var samePlan: (@Sendable (Containerd) -> Bool)?

    public init(plan: Plan, config: RegistriesConfig?, findings: [Finding], samePlan: (@Sendable (Containerd) -> Bool)? = nil) {
        self.plan = plan
        self.config = config
        self.findings = findings
        self.samePlan = samePlan
    }

    var image: ImageReference { plan.image }
    /// Whether the CRI config holds registry credentials: K3s writes those of
    /// registries.yaml there, which keeps containerd 2.1+ off the transfer service.
    var registryAuth: Bool { config?.configs.contains { $0.auth.map { !$0.isEmpty } ?? false } ?? false }
    var locator: ConfigLocator { ConfigLocator(config: config, image: plan.image) }

    public func report(_ attempts: [AttemptDiagnosis]) -> DoctorReport {
        let (cause, fix) = diagnose(attempts)
        guard cause.code != .pullable else {
            return DoctorReport(plan: plan, findings: findings, attempts: attempts, rootCause: cause, fix: fix,
                                containerdError: nil, containerdExplanation: nil)
        }
        let containerd = plan.containerd
        let cri = ContainerdErrorModel(containerd: containerd, client: .cri, registryAuthInCRIConfig: registryAuth)
        var containerdError: String?
        var ctrError: String?
        var explanation: String?
        if plan.tlsFileFailsPull, let unreadable = plan.unreadableTLSFile {
            // hosts.go reads every host's TLS files before any request: that error is the pull's.
            containerdError = containerd.pullError(image: image.description, resolveError: unreadable.message, client: .cri,
                                                   registryAuthInCRIConfig: registryAuth)
            ctrError = containerd.pullError(image: image.description, resolveError: unreadable.message, client: .ctr)
        } else if let reported = cri.reported(attempts, image: image) {
            containerdError = reported.message
            ctrError = ContainerdErrorModel(containerd: containerd, client: .ctr).reported(attempts, image: image)?.message
            explanation = explain(reported.attempt, cause: cause, attempts: attempts)
        }
        var report = DoctorReport(plan: plan, findings: findings, attempts: attempts, rootCause: cause, fix: fix,
                                  containerdError: containerdError, containerdExplanation: explanation)
        report.ctrError = ctrError
        report.otherVersions = otherVersions(attempts, current: containerdError)
        return report
    }

    /// Why the error K3s shows is not the root cause, when it is not.
    func explain(_ reported: Int?, cause: RootCause, attempts: [AttemptDiagnosis]) -> String? {
        let rule = plan.containerd.has(.errorRanking)
            ? "\(plan.containerd) reports the failure it ranks highest (an HTTP status other than 404, then \"not found\", then a connection or TLS error; the first of equals)"
            : "\(plan.containerd) reports the first failure that is not a 404"
        if let position = reported, let causeAttempt = cause.attempt, position != causeAttempt {
            return "\(rule), here attempt \(position)'s (\(attempts[position - 1].attempt.endpoint)); the root cause is attempt \(causeAttempt)'s. The message K3s shows is about a host that was never going to work."
        }
        if reported == nil && !attempts.isEmpty {
            return attempts.allSatisfy({ $0.failure?.kind == .notFound })
                ? "every host answered 404, so containerd says only \"not found\", without saying where it looked."
                : "\(rule): a 404 outranks the other failures here, so containerd says only \"not found\", hiding them."
        }
        if let position = reported, cause.attempt == nil {
            return "containerd reports attempt \(position)'s error, which is a symptom: \(cause.summary)"
        }
        return nil
    }

    /// What other containerd versions (same build, same plan) would report, where it differs.
    func otherVersions(_ attempts: [AttemptDiagnosis], current: String?) -> [DoctorReport.VersionMessage] {
        guard !plan.tlsFileFailsPull else { return [] }
        let stretches = VersionStretch<String?>.group { version in
            let other = plan.containerd.at(version)
            // Another plan means other requests: the same outcomes say nothing about it.
            if let samePlan, !samePlan(other) { return nil }
            return ContainerdErrorModel(containerd: other, client: .cri, registryAuthInCRIConfig: registryAuth).reported(attempts, image: image)?.message
        }
        // One entry per distinct message, naming every stretch of versions that shows it.
        var messages: [(versions: [String], message: String)] = []
        for stretch in stretches {
            guard let message = stretch.answer, message != current else { continue }
            if let index = messages.firstIndex(where: { $0.message == message }) {
                messages[index].versions.append(stretch.label)
            } else {
                messages.append(([stretch.label], message))
            }
        }
        return messages.map { DoctorReport.VersionMessage(versions: $0.versions.joined(separator: ", "), message: $0.message) }
    }

    func diagnose(_ attempts: [AttemptDiagnosis]) -> (RootCause, Fix?) {
        if plan.tlsFileFailsPull, let unreadable = plan.unreadableTLSFile {
            let what = unreadable.role == .ca ? "CA file" : unreadable.role == .clientCertificate ? "client certificate" : "client key"
            return (RootCause(.tlsFilesUnusable,
                              "The \(what) \(unreadable.path) cannot be read, and containerd reads every host's TLS files before it contacts any host: the pull fails before a single request.",
                              evidence: [unreadable.message]),
                    Fix("Put the file at \(unreadable.path) on every node (readable by root), or correct the path in registries.yaml.",
                        key: unreadable.role == .ca ? "tls.ca_file" : unreadable.role == .clientCertificate ? "tls.cert_file" : "tls.key_file",
                        file: locator.file))
        }
        if let success = attempts.first(where: \.succeeded) {
            var evidence = ["attempt \(success.attempt.position) (\(success.attempt.endpoint)) resolved \(image) to \(success.digest ?? "a manifest")"]
            for earlier in attempts.prefix(while: { !$0.succeeded }) {
                evidence.append("attempt \(earlier.attempt.position) failed first: \(earlier.failure?.message ?? "")")
            }
            return (RootCause(.pullable, "\(image) can be pulled: attempt \(success.attempt.position) (\(success.attempt.reason)) serves it.",
                              evidence: evidence, attempt: success.attempt.position), nil)
        }
        if let ignored = plan.ignoredFile {
            let failures = attempts.compactMap { diagnosis in diagnosis.failure.map { "attempt \(diagnosis.attempt.position) (\(diagnosis.attempt.endpoint)): \($0.message)" } }
            return (RootCause(.hostsFileIgnored,
                              "\(plan.containerd) cannot decode \(ignored.file) (\(ignored.reason)), so it ignores the whole file and tries only \(image.registry)'s default host, which fails.",
                              evidence: ["containerd logs: failed to decode hosts.toml: \(ignored.reason)"] + failures),
                    Fix(ignored.reason.contains("host` tree")
                        ? "Add an empty `[host]` table to the file (containerd up to 1.7.31 refuses a hosts.toml without one; K3s always writes it)."
                        : ignored.reason.contains("referrers")
                        ? "Remove the `referrers` capability: only containerd 2.2 and later know it, and older ones refuse the whole file."
                        : "Make the file valid TOML with containerd's keys (the error above names the line).",
                        file: ignored.file, line: ignored.line))
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
