import ArgumentParser
import HawserCore
import HawserDoctor
import NIOCore

struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Report what is in force on this K3s, RKE2 or containerd node: the files read, drift from registries.yaml, check findings, and a live verdict on every mirror and default host.",
        discussion: "Exit status: 0 when everything is in force and every endpoint answers, 1 when something drifted or fails, 2 when nothing usable could be read. JSON: hawser.node/v1 (docs/json.md).")

    @Option(name: .long, help: "Read the node's files under this folder instead of / (a copy of a node, a container's filesystem).")
    var root: String = "/"

    @OptionGroup var containerd: ContainerdOptions

    @Flag(name: .long, help: "Only read the files; do not contact any endpoint.")
    var noProbe = false

    @Option(name: .long, help: "Also run the doctor's full walk for this image.")
    var image: String?

    @Option(name: .long, help: "Seconds to wait for each connection and answer.")
    var timeout: Int = 5

    @Flag(name: .long, help: "Print the report as JSON (schema hawser.node/v1).")
    var json = false

    func run() async throws {
        let node = NodeConfiguration.read(root: NodeRoot(root))
        let versions = node.versions
        let model = try containerd.resolved(detected: versions.containerd)
        let wait = TimeAmount.seconds(Int64(max(1, timeout)))
        let report = await NodeReport.make(root: NodeRoot(root), containerd: model, probe: !noProbe, timeout: wait, node: node, versions: versions)
        var doctor: DoctorReport?
        if let image {
            let configuration = try node.hostsConfiguration()
                ?? HostsConfiguration.fromRegistries(RegistriesConfig(file: "(no configuration)"), path: "(no configuration: containerd's defaults)")
            doctor = try await Doctor(configuration: configuration, options: node.renderOptions, containerd: model, timeout: wait)
                .diagnose(ImageReference(parsing: image))
        }
        if json {
            try JSONOutput.print(NodeDocument(node: report, doctor: doctor.map(DoctorDocument.init)))
        } else {
            var text = NodePrinter(report: report).text
            if let doctor { text += "\n" + DoctorPrinter(report: doctor).text }
            print(text, terminator: "")
        }
        let status = max(report.exitStatus, doctor.map { $0.pullable ? 0 : 1 } ?? 0)
        if status != 0 { throw ExitCode(status) }
    }
}

/// `hawser node --json`: the node report, and the doctor's when --image is given.
struct NodeDocument: Encodable {
    let node: NodeReport
    let doctor: DoctorDocument?

    func encode(to encoder: any Encoder) throws {
        try node.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(doctor, forKey: .doctor)
    }

    enum Key: String, CodingKey { case doctor }
}
