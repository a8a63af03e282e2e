import HawserCore
import HawserRegistry

extension ImageCopier {
    /// Copies each blob the destination lacks, `options.concurrency` at a time.
    func copyBlobs(_ blobs: [Descriptor]) async throws -> BlobTotals {
        let source = self.source, destination = self.destination, observer = self.observer, blobOptions = options.blobs
        return try await withThrowingTaskGroup(of: (BlobOutcome, Int64).self) { group in
            var pending = blobs.makeIterator()
            var running = 0
            var totals = BlobTotals()
            func startNext() {
                guard let blob = pending.next() else { return }
                running += 1
                group.addTask {
                    try await Self.copyBlob(blob, from: source, to: destination, options: blobOptions, observer: observer)
                }
            }
            for _ in 0..<options.concurrency { startNext() }
            while running > 0, let (outcome, size) = try await group.next() {
                running -= 1
                switch outcome {
                case .present: totals.present += 1
                case .mounted: totals.mounted += 1
                case .uploaded:
                    totals.uploaded += 1
                    totals.transferred = totals.transferred.saturatingAdding(size)
                }
                startNext()
            }
            return totals
        }
    }

    /// HEAD at the destination; when absent, mount or upload.
    static func copyBlob(_ blob: Descriptor, from source: any ImageSource, to destination: any ImageDestination,
                         options: BlobCopyOptions, observer: TransferObserver?) async throws -> (BlobOutcome, Int64) {
        let present = try await TransferError.at(destination.place, "checking for blob \(blob.digest)") {
            try await destination.hasBlob(blob)
        }
        if present {
            observer?(.blobSkipped(blob))
            return (.present, blob.size)
        }
        observer?(.blobStarted(blob))
        let outcome: BlobOutcome
        do {
            outcome = try await destination.putBlob(blob, from: source, options: options) { count in
                observer?(.blobProgress(blob.digest, bytes: count))
            }
        } catch let failure as SourceStreamError {
            // The bytes stopped coming (or were wrong) on the source's side.
            throw TransferError(source.place, action: "reading blob \(blob.digest)", underlying: failure.error)
        } catch let error as TransferError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw TransferError(destination.place, action: "writing blob \(blob.digest)", underlying: error)
        }
        observer?(.blobFinished(blob.digest))
        return (outcome, blob.size)
    }
}
