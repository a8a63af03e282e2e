import ArgumentParser
import Foundation
import HawserCore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Lint a registries.yaml for the mistakes K3s users make: what will really happen, and the fix.",
        discussion: "Exit status: 0 clean, 1 warnings only, 2 errors. Codes are documented in docs/codes.md.")

    @Argument(help: "The registries.yaml to check.")
    var registriesYAML: String

    @OptionGroup var k3s: K3sAgentOptions

    @OptionGroup var containerd: ContainerdOptions

    @Flag(name: .long, help: "Print findings as JSON (schema hawser.check/v1).")
    var json = false

    func run() throws {
        let containerd = try self.containerd.resolved()
        let document: CheckDocument
        do {
            // Every wrong type at once, beside what the rest of the file gives.
            let loaded = try RegistriesConfig.loadCollecting(contentsOf: registriesYAML)
            // A mirror whose endpoint list was refused is not "empty": its error says what is wrong.
            let findings = Linter(options: k3s.renderOptions, containerd: containerd).check(loaded).filter { finding in
                !(finding.code == .emptyValue && loaded.errors.contains { error in
                    loaded.config.mirrors.contains { finding.message.contains("`\($0.key)`") && error.message.contains("`mirrors.\($0.key).endpoint`") }
                })
            }
            document = CheckDocument(file: registriesYAML, findings: findings, errors: loaded.errors)
        } catch {
            document = CheckDocument(file: registriesYAML, findings: [], fatal: error)
        }
        if json {
            try JSONOutput.print(document)
        } else {
            print(FindingPrinter.text(document), terminator: "")
        }
        throw ExitCode(document.exitStatus)
    }
}
