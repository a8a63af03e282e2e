/// Where the plan depends on the containerd version: the other stretches of
/// versions (same build) whose hosts, order or transports differ from the plan
/// being shown. What an administrator wants to know before upgrading K3s.
public enum PlanVariants {
    /// A plan reduced to what a version can change: each attempt's URL and transport.
    public struct Signature: Hashable, Sendable {
        let attempts: [String]
        let ignored: Bool
    }

    public static func signature(_ plan: Plan) -> Signature {
        Signature(attempts: plan.attempts.map { "\($0.manifestURL(for: plan.image)) (\($0.transport.kind))" }, ignored: plan.ignoredFile != nil)
    }

    /// Sentences such as "containerd 1.7.8–1.7.23 would instead try: 1. http://… (plain-http)".
    public static func notes(for plan: Plan, planning: (Containerd) -> Plan) -> [String] {
        let current = signature(plan)
        let stretches = VersionStretch<Signature>.group { version in
            signature(planning(plan.containerd.at(version)))
        }
        return stretches.compactMap { stretch in
            let other = stretch.answer
            guard other != current else { return nil }
            let tries = other.attempts.isEmpty ? "no host at all" : other.attempts.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "; ")
            let ignored = other.ignored && !current.ignored ? " (it cannot decode the hosts.toml and ignores it)" : ""
            return "containerd \(stretch.label)\(ignored) would instead try: \(tries)"
        }
    }
}
