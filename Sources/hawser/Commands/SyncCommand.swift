import ArgumentParser
import Foundation
import HawserCore
import HawserRegistry
import HawserTransfer

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Copy a list of images into a registry: under a prefix (--to), or where K3s will look first (--for).",
        discussion: """
        LIST is one image per line (the format of k3s-images.txt; # comments), or a YAML list whose items are \
        a reference or {image: REF, platforms: [os/arch], target: repository[:tag]}. The whole list is checked \
        before anything is copied. An image whose destination already holds the same digest is skipped; a \
        failure does not stop the others. The exit status is 1 if any image failed.

        --to REGISTRY[/PREFIX] puts each image's repository under PREFIX (e.g. a Harbor project), same tag. \
        --for registries.yaml puts each image where K3s will look first: the first mirror endpoint of its plan, \
        with the mirror's rewrites and path applied (so `hawser resolve IMAGE --config` finds it there); TLS and \
        credentials for both sides come from the same file.
        """)

    @Argument(help: "The image list (k3s-images.txt style, or YAML).")
    var list: String

    @Option(name: .long, help: "Destination registry, with an optional path prefix: REGISTRY[/PREFIX].")
    var to: String?

    @Option(name: .customLong("for"), help: "A K3s registries.yaml: each image goes to the first mirror endpoint of its plan.")
    var forConfig: String?

    @Option(name: .long, help: "With --to: a registries.yaml whose configs give TLS and credentials per host.")
    var config: String?

    @OptionGroup var k3s: K3sAgentOptions

    @Flag(name: .long, help: "Print the source → destination mapping and copy nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Also copy the OCI 1.1 referrers (signatures, SBOMs) of each image.")
    var referrers = false

    @Option(name: .long, help: "Blobs larger than this are uploaded in PATCH chunks of this size (bytes, or with K, M, G).")
    var chunkThreshold: ByteSize = ByteSize(bytes: BlobCopyOptions.defaultChunkThreshold)

    @Option(name: .long, help: "Images copied at once.")
    var images: Int = 4

    @Option(name: .long, help: "Blobs copied at once for each image.")
    var concurrency: Int = 4

    @Flag(name: [.short, .long], help: "No per-image lines; the summary table and errors only.")
    var quiet = false

    @Flag(name: .long, help: "Print the outcome as JSON (schema hawser.sync/v1) instead of the table.")
    var json = false

    func validate() throws {
        guard (to == nil) != (forConfig == nil) else { throw ValidationError("give either --to REGISTRY[/PREFIX] or --for registries.yaml") }
        if forConfig != nil, config != nil { throw ValidationError("with --for, TLS and credentials come from that file; drop --config") }
        guard (1...32).contains(images), (1...32).contains(concurrency) else { throw ValidationError("--images and --concurrency go from 1 to 32") }
    }

    func run() async throws {
        let mappings: [SyncMapping]
        let configuration: HostsConfiguration
        do {
            let imageList = try SyncList.load(contentsOf: list)
            let target: SyncTarget
            if let forConfig {
                configuration = try HostsConfiguration.registriesYAML(atPath: forConfig, options: k3s.renderOptions)
                target = .firstMirror
            } else {
                configuration = try config.map { try HostsConfiguration.registriesYAML(atPath: $0, options: k3s.renderOptions) }
                    ?? HostsConfiguration.fromRegistries(RegistriesConfig(file: "(no configuration)"), path: "(no configuration: containerd's defaults)",
                                                         options: k3s.renderOptions)
                target = try SyncTarget.parsing(to ?? "")
            }
            mappings = try SyncPlanner(target: target, configuration: configuration).mappings(for: imageList)
        } catch {
            Terminal.error("hawser sync: \(UserFacingError.text(error) ?? "\(error)")")
            throw ExitCode(2)
        }
        if dryRun {
            if json { try JSONOutput.print(SyncSummary(list: list, mappings: mappings)) } else { print(SyncPrinter.mapping(mappings), terminator: "") }
            return
        }
        // Connections per host: every image's blobs in flight, and room for manifests.
        let pool = HTTPClientPool(readTimeout: .seconds(60), connectionsPerHost: images * concurrency + images)
        let endpoints = RegistryEndpoints(configuration: configuration, pool: pool)
        let options = CopyOptions(referrers: referrers, concurrency: concurrency, blobs: BlobCopyOptions(chunkThreshold: chunkThreshold.bytes))
        let live = !quiet && !json
        let outcomes = await ImageSyncer(endpoints: endpoints, options: options, imagesInFlight: images) { outcome in
            if live { Terminal.error(SyncPrinter.line(outcome)) }
        }.sync(mappings)
        await pool.shutdown()
        if json {
            try JSONOutput.print(SyncSummary(list: list, outcomes: outcomes))
        } else {
            print(SyncPrinter.table(outcomes), terminator: "")
        }
        if outcomes.contains(where: \.failed) { throw ExitCode(1) }
    }
}
