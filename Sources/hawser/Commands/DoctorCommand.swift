import ArgumentParser
import HawserCore
import HawserDoctor
import NIOCore

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Run the plan live, check every step of every attempt, and name the root cause of a failing pull and its fix.",
        discussion: "Exit status: 0 when the image can be pulled, 1 when it cannot, 2 when the configuration cannot be read. Root-cause codes: docs/codes.md.")

    @Argument(help: "Image reference to diagnose.")
    var image: String

    @OptionGroup var source: PlanSourceOptions

    @OptionGroup var containerd: ContainerdOptions

    @Option(name: .long, help: "The platform a pull would choose from a multi-platform image, os/arch[/variant] (default: this machine's).")
    var platform: String?

    @Option(name: .long, help: "Seconds to wait for each connection and answer.")
    var timeout: Int = 5

    @Flag(name: .long, help: "Print the diagnosis as JSON (schema hawser.doctor/v1).")
    var json = false

    func run() async throws {
        let reference = try ImageReference(parsing: image)
        let chosenPlatform = try platform.map { text throws(ReferenceError) in try Platform(parsing: text) } ?? .current
        let configuration: HostsConfiguration
        do {
            configuration = try source.load()
        } catch {
            Terminal.error(UserFacingError.line(error) ?? "\(error)")
            throw ExitCode(2)
        }
        let doctor = Doctor(configuration: configuration, options: source.k3s.renderOptions, containerd: try containerd.resolved(detected: source.nodeContainerd()),
                            timeout: .seconds(Int64(max(1, timeout))), platform: chosenPlatform)
        let report = try await doctor.diagnose(reference)
        if json {
            try JSONOutput.print(DoctorDocument(report))
        } else {
            print(DoctorPrinter(report: report).text, terminator: "")
        }
        if !report.pullable { throw ExitCode(1) }
    }
}
