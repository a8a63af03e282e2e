import HawserCore

extension ImagePusher {
    /// HEAD each blob, upload the missing ones; bounded parallelism.
    func pushBlobs(_ blobs: [Descriptor], to client: RegistryClient) async throws -> Totals {
        var seen = Set<Digest>()
        let unique = blobs.filter { seen.insert($0.digest).inserted }
        for blob in unique where !layout.contains(blob) {
            throw StoreError(.blobMissing, path: layout.blobPath(blob.digest), reason: "the manifest lists \(blob.digest) but the layout does not hold it")
        }
        let layout = self.layout, observer = self.observer, chunkSize = options.chunkSize
        observer?(.blobsPlanned(unique))
        return try await withThrowingTaskGroup(of: (Int64, Bool).self) { group in
            var pending = unique.makeIterator()
            var running = 0
            var totals = Totals()
            func startNext() {
                guard let blob = pending.next() else { return }
                running += 1
                group.addTask {
                    if try await client.blobExists(blob) {
                        observer?(.blobSkipped(blob))
                        return (blob.size, false)
                    }
                    observer?(.blobStarted(blob))
                    try await client.uploadBlob(blob, fromFile: layout.blobPath(blob.digest), chunkSize: chunkSize) { count in
                        observer?(.blobProgress(blob.digest, bytes: count))
                    }
                    observer?(.blobFinished(blob.digest))
                    return (blob.size, true)
                }
            }
            for _ in 0..<blobsInFlight { startNext() }
            while running > 0, let (size, uploaded) = try await group.next() {
                running -= 1
                totals.total = totals.total.saturatingAdding(size)
                if uploaded { totals.uploaded = totals.uploaded.saturatingAdding(size) } else { totals.skipped += 1 }
                startNext()
            }
            return totals
        }
    }
}
