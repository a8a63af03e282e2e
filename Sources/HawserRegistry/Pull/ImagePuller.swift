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
        // A killed pull's partial files are continued by the blobs that need them;
        // the rest are removed once this pull ends (store() and failures alike).
        defer { layout.removeStaleLeftovers() }
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

    typealias SelectedManifest = RegistryClient.SelectedManifest

    /// The image manifest for the requested platform (the checks are shared with `doctor`).
    private func selectManifest(using client: RegistryClient) async throws -> SelectedManifest {
        let layout = self.layout
        return try await client.selectManifest(for: plan.image, platform: options.platform) { digest, size, mediaType in
            Self.storedManifest(in: layout, digest, size: size, mediaType: mediaType)
        }
    }

    /// A manifest already in the layout under `digest` (stored only after its
    /// digest was verified; `readBlob` checks it again), or nil.
    private static func storedManifest(in layout: OCILayout, _ digest: Digest, size: Int64?, mediaType: String?) -> ManifestContent? {
        if let size, !layout.contains(Descriptor(mediaType: mediaType ?? "", digest: digest, size: size)) { return nil }
        guard let bytes = try? layout.readBlob(digest, maximumSize: RegistryClient.maximumManifestSize) else { return nil }
        return try? ManifestContent(bytes: bytes, descriptor: Descriptor(mediaType: mediaType ?? "", digest: digest, size: Int64(bytes.count)))
    }
}
