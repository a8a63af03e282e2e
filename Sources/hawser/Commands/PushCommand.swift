import ArgumentParser
import Foundation
import HawserCore
import HawserRegistry

struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push an image from an OCI image layout to a registry, to the plan's first host with the push capability.",
        discussion: """
        As containerd's pusher, the image goes to the first host of the plan that has the `push` capability: \
        normally the server line (mirrors K3s writes are pull/resolve only). Blobs the registry already has are \
        skipped after a HEAD; an index is pushed with each of its manifests.
        """)

    @Argument(help: "An OCI image layout directory, with :NAME to pick an image from its index.json (needed when it holds several).")
    var layout: String

    @Argument(help: "Destination reference, e.g. registry.local:5000/team/app:1.0")
    var reference: String

    @OptionGroup var source: PlanSourceOptions

    @Option(name: .long, help: "Upload blobs in PATCH chunks of this many bytes instead of one PUT each.")
    var chunkSize: Int64?

    @Option(name: .long, help: "Blobs uploaded at once (one connection each).")
    var concurrency: Int = 4

    @Flag(name: [.short, .long], help: "No progress and no summary; errors only.")
    var quiet = false

    @Flag(name: .long, help: "Print a final summary as JSON (schema hawser.push/v1): digest, size, attempts.")
    var json = false

    /// `DIR` or `DIR:NAME`; an existing directory named with a colon is taken whole.
    static func splitLayout(_ text: String) -> (path: String, name: String?) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory), isDirectory.boolValue { return (text, nil) }
        guard let colon = text.lastIndex(of: ":") else { return (text, nil) }
        let name = String(text[text.index(after: colon)...])
        guard !name.isEmpty, !name.contains("/") else { return (text, nil) }
        return (String(text[..<colon]), name)
    }

    func run() async throws {
        let destination = try ImageReference(parsing: reference)
        let (path, name) = Self.splitLayout(layout)
        let configuration = try source.load()
        let plan = try configuration.plan(for: destination)
        let store = try OCILayout(openingAt: path)

        let result = try await TransferRun.perform("push", image: destination, concurrency: concurrency, quiet: quiet, json: json) { pool, observer in
            try await ImagePusher(
                plan: plan, credentials: configuration.credentials(forKey:), layout: store, sourceName: name, pool: pool,
                options: PushOptions(concurrency: concurrency, chunkSize: chunkSize), observer: observer
            ).push()
        }

        if json {
            try JSONOutput.print(ProgressSummary.push(result))
        } else if !quiet {
            var text = "Pushed \(Terminal.bold(destination.description)) to \(result.target.endpoint)\n"
            text += "  digest    \(result.manifest.digest)\n"
            text += "  size      \(ProgressText.bytes(result.totalSize)) (\(ProgressText.bytes(result.uploadedBytes)) uploaded, \(result.skippedBlobs) blob(s) already there)\n"
            text += ProgressSummary.attemptLines(result.attempts)
            print(text, terminator: "")
        }
    }
}
