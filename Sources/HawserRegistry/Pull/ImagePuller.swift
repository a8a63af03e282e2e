import HawserCore
import Logging
import Synchronization

/// Pulls one image along a plan, as containerd does: attempts in order, moving
/// on after a transport error, a 404 or any status above 399 (401 only after
/// authenticating and retrying once); then the platform's manifest, then config
/// and layers in parallel (bounded) into an OCI layout.
public struct ImagePuller: Sendable {
    public let plan: Plan
    public let layout: OCILayout
    public let options: PullOptions
    let clients: [RegistryClient]
    let observer: TransferObserver?
    /// `options.concurrency`, within what the pool can connect at once.
    let blobsInFlight: Int

    /// - Parameter credentials: looks up a `configs` key; called only with keys the plan names.
    public init(
        plan: Plan, credentials: @Sendable (String) -> RegistryCredentials?, layout: OCILayout, pool: HTTPClientPool,
        tokenCache: TokenCache = TokenCache(), options: PullOptions = PullOptions(),
        logger: Logger = Logger(label: "hawser.pull"), observer: TransferObserver? = nil
    ) {
        self.plan = plan
        self.layout = layout
        self.options = options
        self.observer = observer
        self.blobsInFlight = min(options.concurrency, pool.connectionsPerHost)
        // One client per host for the whole pull: manifest and blob requests share its tokens.
        let all = (plan.attempts + plan.skipped).sorted { $0.position < $1.position }
        self.clients = all.map { attempt in
            RegistryClient(attempt: attempt, credentials: attempt.credentialsKey.flatMap(credentials), access: .pull,
                           pool: pool, tokenCache: tokenCache, logger: logger)
        }
    }

    @discardableResult
    public func pull() async throws -> PullResult {
        let image = plan.image
        let candidates = clients.filter { client in plan.attempts.contains { $0.position == client.attempt.position } }
        var reports: [AttemptReport] = []
        for (offset, client) in candidates.enumerated() {
            let url = client.attempt.manifestURL(for: image)
            observer?(.attemptStarted(client.attempt, url: url))
            let selected: SelectedManifest
            do {
                selected = try await selectManifest(using: client)
            } catch let error as RegistryError {
                let report = AttemptReport(attempt: client.attempt, url: url, outcome: .failed(error))
                reports.append(report)
                observer?(.attemptFinished(report))
                continue
            }
            let served = AttemptReport(attempt: client.attempt, url: url, outcome: .served, servedOver: client.servedOver)
            reports.append(served)
            observer?(.attemptFinished(served))
            for later in candidates.dropFirst(offset + 1) {
                reports.append(AttemptReport(attempt: later.attempt, url: later.attempt.manifestURL(for: image), outcome: .notTried))
            }
            return try await store(selected, servedBy: client, reports: reports)
        }
        throw AttemptsFailedError(operation: "pull", image: image, attempts: reports)
    }

    /// The image manifest for the requested platform, and the index it came from.
    struct SelectedManifest: Sendable {
        let manifest: ManifestContent
        let image: ImageManifest
        let index: Descriptor?
        let platform: Platform?
    }

    private func selectManifest(using client: RegistryClient) async throws -> SelectedManifest {
        let image = plan.image
        var reference = image.manifestReference
        var expected = image.digest
        var stored: ManifestContent?
        if image.digest == nil, let resolved = try await client.resolveManifest(reference), let digest = resolved.digest {
            // As containerd: resolve the tag with HEAD, then fetch by digest and check it;
            // a manifest the layout already holds (a re-pull) is read from disk instead.
            reference = digest.description
            expected = digest
            stored = storedManifest(digest, size: resolved.size, mediaType: resolved.mediaType)
        }
        let top: ManifestContent
        if let stored { top = stored } else { top = try await client.fetchManifest(reference, expected: expected) }
        switch top.kind {
        case .manifest(let manifest):
            return SelectedManifest(manifest: top, image: manifest, index: nil, platform: nil)
        case .index(let index):
            let entry = try PlatformSelector.select(from: index, platform: options.platform, indexDigest: top.descriptor.digest)
            let child: ManifestContent
            if let stored = storedManifest(entry.digest, size: entry.size, mediaType: entry.mediaType) {
                child = stored
            } else {
                child = try await client.fetchManifest(entry.digest.description, expected: entry.digest)
            }
            guard case .manifest(let manifest) = child.kind else {
                throw RegistryError(.content, url: client.attempt.url("manifests", entry.digest.description),
                                    reason: "the index entry for \(options.platform) is itself an index; nested indexes are not supported")
            }
            return SelectedManifest(manifest: child, image: manifest, index: top.descriptor, platform: entry.platform)
        }
    }

    /// A manifest already in the layout under `digest` (stored only after its
    /// digest was verified; `readBlob` checks it again), or nil.
    private func storedManifest(_ digest: Digest, size: Int64?, mediaType: String?) -> ManifestContent? {
        if let size, !layout.contains(Descriptor(mediaType: mediaType ?? "", digest: digest, size: size)) { return nil }
        guard let bytes = try? layout.readBlob(digest, maximumSize: RegistryClient.maximumManifestSize) else { return nil }
        return try? ManifestContent(bytes: bytes, descriptor: Descriptor(mediaType: mediaType ?? "", digest: digest, size: Int64(bytes.count)))
    }
}
