import ArgumentParser
import Foundation
import HawserCore
import HawserRegistry

struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Pull an image along the plan (mirrors in order, then the server) into an OCI image layout.",
        discussion: """
        Hosts are tried in containerd's order: a transport error, a 404 or any status above 399 moves on to the \
        next host; a 401 first authenticates and retries once. Blobs are verified while they stream to disk. \
        Several images can share one --output layout; each is named in index.json by its tag (or --name).
        """)

    @Argument(help: "Image reference, e.g. docker.io/library/nginx:1.27 or registry.local:5000/app@sha256:…")
    var image: String

    @OptionGroup var source: PlanSourceOptions

    @OptionGroup var containerd: ContainerdOptions

    @Option(name: [.short, .long], help: "The OCI image layout directory to write (created when missing, shared by several images).")
    var output: String

    @Option(name: .long, help: "The platform to choose from a multi-platform image, os/arch[/variant] (default: this machine's).")
    var platform: String?

    @Option(name: .long, help: "The name recorded in index.json (org.opencontainers.image.ref.name); default: the tag.")
    var name: String?

    @Option(name: .long, help: "Blobs downloaded at once (one connection each).")
    var concurrency: Int = PullOptions.defaultConcurrency

    @Option(name: .long, help: "Seconds after which a download that brings less than 1 KiB (or nothing at all) fails, and the next host is tried.")
    var stallTimeout: Int64 = 30

    @Flag(name: .long, help: "Re-hash blobs the layout already holds (normally only their size is checked) and replace those whose bytes are wrong.")
    var verifyExisting = false

    @Flag(name: [.short, .long], help: "No progress and no summary; errors only.")
    var quiet = false

    @Flag(name: .long, help: "Print a final summary as JSON (schema hawser.pull/v1): digest, size, attempts.")
    var json = false

    func run() async throws {
        let reference = try ImageReference(parsing: image)
        let chosenPlatform = try platform.map { text throws(ReferenceError) in try Platform(parsing: text) } ?? .current
        let configuration = try source.load()
        let plan = try configuration.plan(for: reference, containerd: try containerd.resolved(detected: source.nodeContainerd()))
        // containerd reads every host's TLS files before its first request, and so does this pull.
        if plan.tlsFileFailsPull, let unreadable = plan.unreadableTLSFile {
            Terminal.error("error: \(unreadable.path) cannot be read, so containerd fails this pull before any request: \(unreadable.message)")
            throw ExitCode(1)
        }
        let layout = try OCILayout(creatingAt: output)

        let result = try await TransferRun.perform("pull", image: reference, concurrency: concurrency, quiet: quiet, json: json,
                                                 readTimeout: stallTimeout) { pool, observer in
            try await ImagePuller(
                plan: plan, credentials: configuration.credentials(forKey:), layout: layout, pool: pool,
                options: PullOptions(platform: chosenPlatform, concurrency: concurrency, referenceName: name, verifyExisting: verifyExisting,
                                     stallTimeout: .seconds(max(1, stallTimeout))),
                observer: observer
            ).pull()
        }

        let recordedName = name ?? reference.tag
        if json {
            try JSONOutput.print(ProgressSummary.pull(result, name: recordedName))
        } else if !quiet {
            var text = "Pulled \(Terminal.bold(reference.description)) from \(result.servedBy.endpoint)\n"
            text += "  digest    \(result.manifest.digest)\n"
            if let index = result.index { text += "  index     \(index.digest)\n" }
            if let platform = result.manifest.platform { text += "  platform  \(platform)\n" }
            text += "  size      \(ProgressText.bytes(result.totalSize)) (\(ProgressText.bytes(result.downloadedBytes)) downloaded, \(result.skippedBlobs) blob(s) already present)\n"
            if result.replacedBlobs > 0 { text += "  replaced  \(result.replacedBlobs) corrupt blob(s) found in the layout\n" }
            text += "  layout    \(result.layoutPath)" + (recordedName.map { " (name \($0))" } ?? "") + "\n"
            text += ProgressSummary.attemptLines(result.attempts)
            print(text, terminator: "")
        }
    }
}
