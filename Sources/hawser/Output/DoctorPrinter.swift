import HawserCore
import HawserDoctor

/// The diagnosis for people: short, ordered, coloured on a terminal.
struct DoctorPrinter {
    let report: DoctorReport

    var text: String {
        var out = Terminal.bold("Diagnosing \(report.plan.image)") + "\n"
        if !report.findings.isEmpty {
            out += "\n" + Terminal.bold("Configuration") + "\n"
            for finding in report.findings {
                let line = finding.location.map { "line \($0.line): " } ?? ""
                out += "  \(Terminal.yellow("!")) \(line)\(finding.message) [\(finding.code.rawValue)]\n"
            }
        }
        for diagnosis in report.attempts {
            let attempt = diagnosis.attempt
            let mark = diagnosis.succeeded ? Terminal.green("✓") : Terminal.red("✗")
            out += "\n\(mark) " + Terminal.bold("Attempt \(attempt.position)") + " \(diagnosis.url)\n"
            out += "    " + Terminal.dim("\(attempt.reason); \(attempt.transport.summary)"
                + (attempt.credentialsKey.map { "; credentials of configs.\"\($0)\"" } ?? "; anonymous")) + "\n"
            for check in diagnosis.checks {
                out += "    \(symbol(check.status)) \(check.kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(check.summary)\n"
                if check.status == .failed || check.status == .warning {
                    for line in check.evidence where !line.isEmpty { out += "        " + Terminal.dim(line) + "\n" }
                }
            }
        }
        if report.attempts.isEmpty { out += "\n  (no attempt: the plan is empty)\n" }
        out += "\n" + Terminal.bold(report.pullable ? Terminal.green("Result") : Terminal.red("Root cause")) + " [\(report.rootCause.code.rawValue) \(report.rootCause.code.slug)]\n"
        out += "  \(report.rootCause.summary)\n"
        for line in report.rootCause.evidence { out += "    " + Terminal.dim("• \(line)") + "\n" }
        if let fix = report.fix {
            out += "\n" + Terminal.bold("Fix") + "\n  \(fix.summary)\n"
            var place: [String] = []
            if let key = fix.key { place.append("key: \(key)") }
            if let file = fix.file { place.append(fix.line.map { "\(file):\($0)" } ?? file) }
            if !place.isEmpty { out += "  " + Terminal.dim(place.joined(separator: "   ")) + "\n" }
            if let write = fix.write {
                out += write.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + Terminal.cyan(String($0)) }.joined(separator: "\n") + "\n"
            }
        }
        if let error = report.containerdError {
            out += "\n" + Terminal.bold("What K3s would show") + " " + Terminal.dim("(\(report.plan.containerd))") + "\n  \(error)\n"
            if let why = report.containerdExplanation { out += "  " + Terminal.dim("Why it differs: \(why)") + "\n" }
            if let ctr = report.ctrError { out += "  " + Terminal.dim("ctr images pull would print:") + "\n  \(ctr)\n" }
            for other in report.otherVersions {
                out += "  " + Terminal.dim("containerd \(other.versions) would show instead:") + "\n  \(other.message)\n"
            }
        }
        return out
    }

    func symbol(_ status: Check.Status) -> String {
        switch status {
        case .passed: Terminal.green("✓")
        case .failed: Terminal.red("✗")
        case .warning: Terminal.yellow("!")
        case .skipped: Terminal.dim("-")
        }
    }
}
