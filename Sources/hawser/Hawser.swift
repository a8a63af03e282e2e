import ArgumentParser

@main
struct Hawser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hawser",
        abstract: "Get container images from private registries the way K3s and containerd do, and explain why it fails.",
        version: "0.1.0",
        subcommands: [RenderCommand.self, ResolveCommand.self, CheckCommand.self, PullCommand.self, PushCommand.self, DoctorCommand.self,
                      NodeCommand.self, LayoutCommand.self, CopyCommand.self, SyncCommand.self, ServeCommand.self]
    )
}
