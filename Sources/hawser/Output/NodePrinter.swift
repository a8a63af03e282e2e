import Foundation
import HawserCore
import HawserDoctor

/// The node report for people: files, drift with its fix, findings, endpoints.
struct NodePrinter {
    let report: NodeReport

    var text: String {
        var out = Terminal.bold("Node") + " " + (report.root == "/" ? "" : "under \(report.root) ")
        out += report.distribution.map { "(\($0))" } ?? "(no K3s, RKE2 or containerd configuration found: containerd's defaults apply)"
        out += " " + Terminal.dim("modelling containerd \(report.containerd.version) (\(report.containerd.build))") + "\n"
        for file in report.files {
            let when = file.modified.map { " " + Terminal.dim(NodeConfiguration.stamp($0)) } ?? ""
            out += "  \(file.exists ? Terminal.green("✓") : Terminal.dim("-")) \(file.role.padding(toLength: 30, withPad: " ", startingAt: 0)) \(file.path)\(file.exists ? when : Terminal.dim(" (not there)"))\n"
        }
        var flags: [String] = []
        if report.flags.disableDefaultRegistryEndpoint { flags.append("disable-default-registry-endpoint") }
        if report.flags.embeddedRegistry { flags.append("embedded-registry") }
        if let dir = report.flags.dataDirectory { flags.append("data-dir \(dir)") }
        if let path = report.flags.privateRegistry { flags.append("private-registry \(path)") }
        if !flags.isEmpty { out += "  flags: " + flags.joined(separator: ", ") + "\n" }
        if let version = report.versions.containerdVersion {
            let source = (report.versions.containerdBinary ?? "") + (report.versions.containerdPackage.map { ", version from the package \($0)" } ?? "")
            out += "  containerd \(version) (\(source))" + (report.versions.k3sVersion.map { ", K3s \($0)" } ?? "") + "\n"
        } else if report.distribution != nil {
            out += "  " + Terminal.dim("containerd version not found in the node's binaries: modelling \(report.containerd.version); give --containerd or --k3s-version") + "\n"
        }
        for problem in report.problems { out += "  " + Terminal.red("✗ \(problem)") + "\n" }

        out += "\n" + Terminal.bold("In force") + "\n"
        if report.drift.isEmpty {
            out += "  " + Terminal.green("✓") + " what containerd reads matches registries.yaml" + (report.distribution == "containerd" ? " (no registries.yaml on a plain containerd node)" : "") + "\n"
        }
        for item in report.drift {
            out += "  " + Terminal.yellow("!") + " \(item.message) [\(item.kind.rawValue)]\n     " + Terminal.dim("fix: \(item.fix)") + "\n"
        }
        for file in report.unreadableTLSFiles {
            out += "  " + Terminal.red("✗") + " \(file.path) cannot be read: containerd fails every pull that needs it before any request (\"\(file.message)\")\n"
        }
        if !report.findings.isEmpty {
            out += "\n" + Terminal.bold("check") + "\n"
            for finding in report.findings { out += "  \(finding.severity): \(finding.message) [\(finding.code)]\n" }
        }
        if !report.endpoints.isEmpty {
            out += "\n" + Terminal.bold("Endpoints") + "\n"
            for endpoint in report.endpoints {
                let mark = endpoint.healthy ? Terminal.green("✓") : Terminal.red("✗")
                out += "  \(mark) \(endpoint.registry.padding(toLength: 24, withPad: " ", startingAt: 0)) \(endpoint.endpoint) " + Terminal.dim("[\(endpoint.transport), \(endpoint.role)]") + "\n"
                if let cause = endpoint.rootCause {
                    out += "      \(cause.code) \(cause.slug): \(cause.summary)\n"
                    if let fix = endpoint.fix { out += "      " + Terminal.dim("fix: \(fix.summary)") + "\n" }
                }
            }
        }
        return out
    }
}
