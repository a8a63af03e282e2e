import HawserCore
import HawserRegistry

/// Copies every image of a sync, several at once: one that is already at its
/// destination (same digest under the name) is skipped; a failure is recorded
/// and the others go on.
public struct ImageSyncer: Sendable {
    public let endpoints: RegistryEndpoints
    /// Per-image copy options (`concurrency` is the blobs in flight of one image).
    public let options: CopyOptions
    /// Images copied at once.
    public let imagesInFlight: Int
    /// Told of each image as it ends (for a live line per image).
    let onOutcome: (@Sendable (SyncOutcome) -> Void)?

    public init(endpoints: RegistryEndpoints, options: CopyOptions, imagesInFlight: Int = 4,
                onOutcome: (@Sendable (SyncOutcome) -> Void)? = nil) {
        self.endpoints = endpoints
        self.options = options
        self.imagesInFlight = max(1, imagesInFlight)
        self.onOutcome = onOutcome
    }

    /// The outcomes, in the order of `mappings`.
    public func sync(_ mappings: [SyncMapping]) async -> [SyncOutcome] {
        await withTaskGroup(of: (Int, SyncOutcome).self) { group in
            var outcomes = [SyncOutcome?](repeating: nil, count: mappings.count)
            var pending = mappings.enumerated().makeIterator()
            var running = 0
            func startNext() {
                guard let (position, mapping) = pending.next() else { return }
                running += 1
                group.addTask {
                    let outcome = await syncOne(mapping)
                    onOutcome?(outcome)
                    return (position, outcome)
                }
            }
            for _ in 0..<imagesInFlight { startNext() }
            while running > 0, let (position, outcome) = await group.next() {
                running -= 1
                outcomes[position] = outcome
                startNext()
            }
            return outcomes.compactMap { $0 }
        }
    }

    func syncOne(_ mapping: SyncMapping) async -> SyncOutcome {
        do {
            // The destination registry checks every digest on the closing PUT.
            let source = try endpoints.source(mapping.source, verifiesStreams: false)
            let destination = RegistryDestination(client: endpoints.client(for: mapping.destination, access: .push))
            var entryOptions = options
            entryOptions.platforms = mapping.entry.platforms
            let top = try await TransferError.at(source.place, "resolving \(mapping.source.manifestReference)") {
                try await source.resolve(mapping.source.manifestReference)
            }
            if mapping.entry.platforms.isEmpty {
                let existing = try await TransferError.at(destination.place, "looking up \(mapping.destinationReference)") {
                    try await destination.existingManifest(mapping.destinationReference)
                }
                if existing?.digest == top.digest { return SyncOutcome(mapping: mapping, status: .skipped(top.digest)) }
            }
            let result = try await ImageCopier(source: source, destination: destination, options: entryOptions)
                .copy(resolved: top, to: mapping.tag)
            return SyncOutcome(mapping: mapping, status: .copied(result))
        } catch {
            return SyncOutcome(mapping: mapping, status: .failed(error))
        }
    }
}
