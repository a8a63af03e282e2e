import ArgumentParser
import Foundation

@main
struct Hawser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hawser",
        abstract: "Get container images from private registries the way K3s and containerd do, and explain why it fails.",
        discussion: """
        K3s reads /etc/rancher/k3s/registries.yaml and writes containerd hosts.toml files from it; containerd tries \
        those endpoints in order and falls back to the registry's default endpoint. Hawser follows the same chain \
        for a given containerd version and build (--containerd, --upstream, --k3s-version): it renders the files, \
        shows the plan, lints the configuration, pulls and pushes along the plan, reads what is in force on a node, \
        and diagnoses a failing pull down to its root cause, with the error K3s would show.
        """,
        version: HawserVersion.text,
        subcommands: [RenderCommand.self, ResolveCommand.self, CheckCommand.self, PullCommand.self, PushCommand.self, DoctorCommand.self,
                      NodeCommand.self, LayoutCommand.self, CopyCommand.self, SyncCommand.self, ServeCommand.self]
    )

    /// As the argument parser's own `main`, but an error that is not a usage
    /// error is printed by `UserFacingError` (plain words, once), not as
    /// "Error: " and the value's dump.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            if let line = UserFacingError.line(error) {
                Terminal.error(line)
                Foundation.exit(EXIT_FAILURE)
            }
            exit(withError: error)
        }
    }
}
