import ArgumentParser
import Foundation
import HawserCore

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write the certs.d/<registry>/hosts.toml files K3s generates from a registries.yaml, byte for byte.")

    @Argument(help: "The registries.yaml to read.")
    var registriesYAML: String

    @Option(name: .long, help: "Directory to write the certs.d tree into (replaced as a whole; refused when it holds anything but <registry>/hosts.toml folders).")
    var out: String?

    @Flag(name: .long, help: "Replace --out even when it holds other files (they are deleted).")
    var force = false

    @Flag(name: .long, help: "Print the files instead of writing them, each under a header line naming it.")
    var stdout = false

    @OptionGroup var k3s: K3sAgentOptions

    func validate() throws {
        if out == nil && !stdout { throw ValidationError("give --out DIR or --stdout") }
    }

    func run() throws {
        let loaded = try RegistriesConfig.load(contentsOf: registriesYAML)
        let output = K3sHostsGenerator(options: k3s.renderOptions).generate(loaded.config)
        for finding in loaded.findings + output.findings {
            Terminal.writeError((finding.description + "\n"))
        }
        if stdout {
            for host in output.hosts {
                print("==> \(host.directory)/hosts.toml <==")
                print(HostsTomlRenderer.render(host), terminator: "")
            }
            if output.hosts.isEmpty { Terminal.writeError("no hosts.toml files: K3s writes none for this configuration\n") }
        }
        if let out {
            try CertsDirectoryWriter(destination: out, force: force).write(output.hosts)
            let names = output.hosts.map { "\($0.directory)/hosts.toml" }
            Terminal.writeError("wrote \(names.count) file(s) to \(out)\(names.isEmpty ? "" : ": " + names.joined(separator: ", "))\n")
        }
    }
}
