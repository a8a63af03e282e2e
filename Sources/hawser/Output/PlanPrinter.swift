import HawserCore

/// The plan for people: one numbered block per attempt, then notes.
struct PlanPrinter {
    let plan: Plan
    let configuration: HostsConfiguration
    let notes: [String]
    var versionNotes: [String] = []

    var text: String {
        var out = Terminal.bold("Plan for \(plan.image)") + " " + Terminal.dim("(\(plan.containerd))") + "\n"
        switch plan.source {
        case .registriesYAML(let path, let directory):
            out += "  from \(path) as K3s renders it: " + (directory.map { "certs.d/\($0)/hosts.toml" } ?? "no hosts.toml for \(plan.image.registry)") + "\n"
        case .hostsDirectory(let path, let directory):
            out += "  from \(path): " + (directory.map { "\($0)/hosts.toml" } ?? "no folder for \(plan.image.registry)") + "\n"
        }
        out += "\n"
        for attempt in plan.attempts {
            out += "  \(Terminal.bold("\(attempt.position).")) \(Terminal.cyan(attempt.manifestURL(for: plan.image)))\n"
            out += row("why", attempt.reason)
            out += row("transport", attempt.transport.summary)
            out += row("credentials", credentials(attempt))
            out += row("capabilities", attempt.capabilities.description)
            if let rewrite = attempt.rewrite {
                out += row("rewrite", "\"\(rewrite.pattern)\" → \"\(rewrite.replacement)\": \(rewrite.original) → \(rewrite.rewritten)")
            }
            if !attempt.headers.isEmpty {
                out += row("headers", attempt.headers.keys.sorted().joined(separator: ", "))
            }
        }
        for attempt in plan.skipped {
            out += "  \(Terminal.dim("-  \(attempt.endpoint) (skipped: capabilities \(attempt.capabilities))"))\n"
        }
        if !notes.isEmpty {
            out += "\n" + Terminal.bold("What this means") + "\n"
            for note in notes { out += "  • \(note)\n" }
        }
        if !versionNotes.isEmpty {
            out += "\n" + Terminal.bold("With another containerd") + "\n"
            for note in versionNotes { out += "  • \(note)\n" }
        }
        return out
    }

    func row(_ label: String, _ value: String) -> String {
        "     " + Terminal.dim(label.padding(toLength: 13, withPad: " ", startingAt: 0)) + value + "\n"
    }

    func credentials(_ attempt: Attempt) -> String {
        guard let key = attempt.credentialsKey else {
            return "none (anonymous; configs are looked up by \"\(attempt.endpoint.host)\")"
        }
        let kinds = configuration.credentials(forKey: key)?.kinds.joined(separator: ", ") ?? ""
        return "configs.\"\(key)\".auth (\(kinds))"
    }
}
