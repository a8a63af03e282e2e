import Foundation
import HawserTestSupport
import Testing

/// `hawser node` on this machine (read-only, no probes): the containerd version it
/// finds must be the one that containerd itself prints. CI's machine runs Debian's
/// containerd 1.6.20, whose binary carries no Go build information, so Hawser dates
/// it by its dpkg record.
@Suite("node: this machine's containerd, dated as it dates itself")
struct NodeVersionOracleTests {
    @Test("hawser node names the version `containerd --version` prints",
          .enabled(if: FileManager.default.fileExists(atPath: "/var/lib/dpkg/status")))
    func thisMachine() throws {
        let hawser = try HawserExecutable.url.path
        let run = try BoundedProcess.runBlocking(hawser, ["node", "--no-probe", "--json"], timeout: 60)
        for finding in OutputSweep.findings(in: run.stdout + run.stderr) { Issue.record("hawser node printed \(finding)") }
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)\(run.stderr)")
        let versions = try #require(report["versions"] as? [String: Any])
        let binary = try #require(versions["containerdBinary"] as? String, "no containerd found: \(versions)")
        // "containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3"
        let printed = try Tools.run(try Tools.require(binary, package: "containerd"), ["--version"])
        let fields = printed.split(whereSeparator: { $0 == " " || $0 == "\n" })
        try #require(fields.count >= 3, "containerd --version printed: \(printed)")
        let version = fields[2].hasPrefix("v") ? String(fields[2].dropFirst()) : String(fields[2])
        #expect(versions["containerdVersion"] as? String == version)
    }
}
