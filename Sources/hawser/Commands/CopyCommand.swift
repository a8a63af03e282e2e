import ArgumentParser
import Foundation
import HawserCore
import HawserRegistry
import HawserTransfer

struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy an image between registries and OCI layouts, digests unchanged.",
        discussion: """
        SRC and DST are each a registry reference (host/repo:tag, host/repo@sha256:…) or oci:DIR[:NAME]. \
        An index is copied whole (every platform) unless --platform narrows it. Manifests are copied as \
        their bytes, so every digest is preserved. Blobs already at the destination are skipped; within one \
        registry they are mounted from the source repository. Each registry is reached directly (not through \
        its mirrors), with the TLS settings and credentials the configuration (--config) gives its host.
        """)

    @Argument(help: "Source: a registry reference, or oci:DIR[:NAME].")
    var sourceReference: String

    @Argument(help: "Destination: a registry reference, or oci:DIR[:NAME].")
    var destinationReference: String

    @OptionGroup var hosts: PlanSourceOptions

    @Option(name: .long, help: "Copy only this platform of an index (os/arch[/variant]); repeat for several (a new index lists them).")
    var platform: [String] = []

    @Flag(name: .long, help: "Also copy the OCI 1.1 referrers (signatures, SBOMs) of what is copied.")
    var referrers = false

    @Option(name: .long, help: "Blobs larger than this are uploaded in PATCH chunks of this size (bytes, or with K, M, G); smaller ones in one PUT.")
    var chunkThreshold: ByteSize = ByteSize(bytes: BlobCopyOptions.defaultChunkThreshold)

    @Option(name: .long, help: "Blobs copied at once.")
    var concurrency: Int = 8

    @Flag(name: [.short, .long], help: "No progress and no summary; errors only.")
    var quiet = false

    @Flag(name: .long, help: "Print a final summary as JSON (schema hawser.copy/v1).")
    var json = false

    func validate() throws {
        guard concurrency >= 1, concurrency <= 64 else { throw ValidationError("--concurrency must be between 1 and 64") }
    }

    func run() async throws {
        let display = ProgressDisplay.make(verb: "copy", image: "\(sourceReference) → \(destinationReference)", quiet: quiet || json)
        let pool = HTTPClientPool(readTimeout: .seconds(60), connectionsPerHost: concurrency)
        display?.start()
        do {
            let sourceSide = try TransferReference(parsing: sourceReference)
            let destinationSide = try TransferReference(parsing: destinationReference)
            let platforms = try platform.map { try Platform(parsing: $0) }
            let endpoints = RegistryEndpoints(configuration: try hosts.load(), pool: pool)
            let (source, reference) = try TransferSides.source(sourceSide, to: destinationSide, endpoints: endpoints)
            let (destination, tag) = try TransferSides.destination(destinationSide, source: sourceSide, endpoints: endpoints)
            let options = CopyOptions(platforms: platforms, referrers: referrers, concurrency: concurrency,
                                      blobs: BlobCopyOptions(chunkThreshold: chunkThreshold.bytes))
            let result = try await ImageCopier(source: source, destination: destination, options: options, observer: display?.observer)
                .copy(reference, to: tag)
            display?.finish()
            await pool.shutdown()
            if json {
                try JSONOutput.print(CopySummary(source: sourceSide.description, destination: destinationSide.description, result: result))
            } else if !quiet {
                print(Self.text(source: sourceSide, destination: destinationSide, result: result), terminator: "")
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            display?.finish()
            await pool.shutdown()
            if json { try JSONOutput.print(CopySummary(source: sourceReference, destination: destinationReference, error: error)) }
            Terminal.error("hawser copy: \(UserFacingError.text(error) ?? "\(error)")")
            throw ExitCode(1)
        }
    }

    static func text(source: TransferReference, destination: TransferReference, result: CopyResult) -> String {
        var text = "Copied \(Terminal.bold(source.description)) to \(Terminal.bold(destination.description))\n"
        text += "  digest    \(result.manifest.digest)\n"
        text += "  images    \(result.manifests) manifest(s)\(result.referrers > 0 ? ", \(result.referrers) referrer(s)" : "")\n"
        text += "  size      \(ProgressText.bytes(result.totalSize)) (\(ProgressText.bytes(result.transferredBytes)) sent; "
        text += "\(result.uploadedBlobs) blob(s) uploaded, \(result.mountedBlobs) mounted, \(result.presentBlobs) already there)\n"
        return text
    }
}
