import HawserCore
import Logging

/// Pushes an image from an OCI layout along a plan. As containerd's pusher,
/// it uses the first host of the plan with the `push` capability (normally the
/// server line): blobs the registry has are skipped after a HEAD, the others
/// uploaded, then the manifest PUT; for an index, each of its manifests first.
public struct ImagePusher: Sendable {
    public let plan: Plan
    public let layout: OCILayout
    /// The index.json name to push (nil: the layout's only image).
    public let sourceName: String?
    public let options: PushOptions
    let target: RegistryClient?
    let observer: TransferObserver?
    /// `options.concurrency`, within what the pool can connect at once.
    let blobsInFlight: Int

    public init(
        plan: Plan, credentials: @Sendable (String) -> RegistryCredentials?, layout: OCILayout, sourceName: String?,
        pool: HTTPClientPool, tokenCache: TokenCache = TokenCache(), options: PushOptions = PushOptions(),
        logger: Logger = Logger(label: "hawser.push"), observer: TransferObserver? = nil
    ) {
        self.plan = plan
        self.layout = layout
        self.sourceName = sourceName
        self.options = options
        self.observer = observer
        self.blobsInFlight = min(options.concurrency, pool.connectionsPerHost)
        let hosts = (plan.attempts + plan.skipped).sorted { $0.position < $1.position }
        self.target = hosts.first { $0.capabilities.contains(.push) }.map { attempt in
            RegistryClient(attempt: attempt, credentials: attempt.credentialsKey.flatMap(credentials), access: .push,
                           pool: pool, tokenCache: tokenCache, logger: logger)
        }
    }

    @discardableResult
    public func push() async throws -> PushResult {
        guard let target else { throw AttemptsFailedError(operation: "push", image: plan.image, attempts: []) }
        let top = try await layout.descriptor(named: sourceName)
        if let digest = plan.image.digest, digest != top.digest {
            throw ContentError(.digestMismatch, digest: digest, reason: "the layout's image is \(top.digest), the reference names \(digest)")
        }
        let url = target.attempt.url("manifests", plan.image.manifestReference)
        observer?(.attemptStarted(target.attempt, url: url))
        do {
            let totals = try await pushManifest(top, as: plan.image.tag ?? top.digest.description, to: target)
            let report = AttemptReport(attempt: target.attempt, url: url, outcome: .served, servedOver: target.servedOver)
            observer?(.attemptFinished(report))
            return PushResult(image: plan.image, manifest: top, target: target.attempt, attempts: [report],
                              totalSize: totals.total, uploadedBytes: totals.uploaded, skippedBlobs: totals.skipped)
        } catch let error as RegistryError {
            let report = AttemptReport(attempt: target.attempt, url: url, outcome: .failed(error))
            observer?(.attemptFinished(report))
            throw AttemptsFailedError(operation: "push", image: plan.image, attempts: [report])
        }
    }

    struct Totals {
        var total: Int64 = 0
        var uploaded: Int64 = 0
        var skipped = 0

        /// Sizes come from manifests: added with a check, never a trap.
        static func + (lhs: Totals, rhs: Totals) throws(ContentError) -> Totals {
            let (total, overflow) = lhs.total.addingReportingOverflow(rhs.total)
            guard !overflow else {
                throw ContentError(.invalidSize, digest: nil, reason: "the image's blob sizes add up to more than \(Int64.max) bytes")
            }
            return Totals(total: total, uploaded: lhs.uploaded.saturatingAdding(rhs.uploaded), skipped: lhs.skipped + rhs.skipped)
        }
    }

    /// Pushes what `descriptor` references, then the manifest itself under `reference`.
    private func pushManifest(_ descriptor: Descriptor, as reference: String, to client: RegistryClient) async throws -> Totals {
        let bytes = try layout.readBlob(descriptor.digest)
        let content = try ManifestContent(bytes: bytes, descriptor: descriptor)
        var totals = Totals(total: Int64(bytes.count))
        switch content.kind {
        case .manifest(let manifest):
            totals = try totals + (try await pushBlobs(manifest.blobs, to: client))
        case .index(let index):
            for child in index.manifests {
                guard layout.contains(child) else {
                    throw StoreError(.blobMissing, path: layout.blobPath(child.digest),
                                     reason: "the index lists \(child.digest) (\(child.platform?.description ?? "no platform")) but the layout does not hold it")
                }
                totals = try totals + (try await pushManifest(child, as: child.digest.description, to: client))
            }
        }
        try await client.putManifest(bytes, mediaType: content.descriptor.mediaType, reference: reference)
        return totals
    }
}
