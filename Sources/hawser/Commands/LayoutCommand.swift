import ArgumentParser

struct LayoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layout",
        abstract: "Check an OCI image layout written by pull.",
        subcommands: [LayoutVerifyCommand.self])
}
