import HawserCore
import Synchronization

extension ImagePuller {
    /// Fetches config and layers (bounded parallelism), then stores the manifest
    /// and names it in index.json: the index only ever points at complete content.
    func store(_ selected: SelectedManifest, servedBy server: RegistryClient, reports: [AttemptReport]) async throws -> PullResult {
        var seen = Set<Digest>()
        let blobs = selected.image.blobs.filter { seen.insert($0.digest).inserted }
        observer?(.blobsPlanned(blobs))
        let downloaded = try await fetchAll(blobs, preferring: server)

        var descriptor = selected.manifest.descriptor
        descriptor.platform = selected.platform
        try layout.writeBlob(selected.manifest.bytes, as: descriptor)
        let name = options.referenceName ?? plan.image.tag
        try await layout.addReference(descriptor, name: name, imageName: plan.image.description)
        layout.removeIngestDirectoryIfEmpty()

        var result = PullResult(
            image: plan.image, manifest: descriptor, index: selected.index, servedBy: server.attempt, attempts: reports,
            totalSize: blobs.reduce(descriptor.size) { $0.saturatingAdding($1.size) }, downloadedBytes: downloaded.bytes,
            skippedBlobs: downloaded.skipped, layoutPath: layout.root)
        result.replacedBlobs = downloaded.replaced
        return result
    }

    /// What happened to one blob.
    enum FetchOutcome: Sendable {
        case downloaded(Int64, replacedCorrupt: Bool)
        case alreadyPresent
    }

    private func fetchAll(_ blobs: [Descriptor], preferring server: RegistryClient) async throws -> (bytes: Int64, skipped: Int, replaced: Int) {
        let order = fetchOrder(preferring: server)
        return try await withThrowingTaskGroup(of: FetchOutcome.self) { group in
            var pending = blobs.makeIterator()
            var running = 0
            var bytes: Int64 = 0
            var skipped = 0
            var replaced = 0
            func startNext() {
                guard let blob = pending.next() else { return }
                running += 1
                group.addTask { try await fetch(blob, from: order) }
            }
            for _ in 0..<blobsInFlight { startNext() }
            while running > 0, let outcome = try await group.next() {
                running -= 1
                switch outcome {
                case .downloaded(let size, let replacedCorrupt):
                    bytes = bytes.saturatingAdding(size)
                    if replacedCorrupt { replaced += 1 }
                case .alreadyPresent:
                    skipped += 1
                }
                startNext()
            }
            return (bytes, skipped, replaced)
        }
    }

    /// The host that served the manifest first, then the other hosts allowed to
    /// `pull`, in plan order (containerd's fetcher walks every pull host).
    private func fetchOrder(preferring server: RegistryClient) -> [RegistryClient] {
        [server] + clients.filter { $0.attempt.position != server.attempt.position && $0.attempt.capabilities.contains(.pull) }
    }

    /// Downloads one blob, unless the layout already has it.
    private func fetch(_ blob: Descriptor, from order: [RegistryClient]) async throws -> FetchOutcome {
        var replacedCorrupt = false
        if layout.contains(blob) {
            // Same size; with --verify-existing, also the same bytes.
            if !options.verifyExisting || layout.verify(blob) {
                observer?(.blobSkipped(blob))
                return .alreadyPresent
            }
            try layout.removeBlob(blob.digest)
            replacedCorrupt = true
        }
        observer?(.blobStarted(blob))
        var reports: [AttemptReport] = []
        let observer = self.observer
        for client in order {
            let url = client.attempt.url("blobs", blob.digest.description)
            do {
                try await client.fetchBlob(blob, into: layout, stallTimeout: options.stallTimeout) { count in
                    observer?(.blobProgress(blob.digest, bytes: count))
                }
                observer?(.blobFinished(blob.digest))
                return .downloaded(blob.size, replacedCorrupt: replacedCorrupt)
            } catch let error as RegistryError {
                reports.append(AttemptReport(attempt: client.attempt, url: url, outcome: .failed(error)))
            }
        }
        throw AttemptsFailedError(operation: "pull blob \(blob.digest) of", image: plan.image, attempts: reports)
    }
}
