import HawserCore
import HawserRegistry
import HawserTransfer
import Logging
import NIOCore

/// One upstream download of one blob, read by any number of clients while it
/// arrives. The bytes go once into a `BlobIngest` (hashed, written to the ingest
/// file); clients read them back from that file as soon as they are written, so
/// the first byte reaches them when upstream sends it and a slow client never
/// holds upstream back (nor makes the mirror buffer in memory). The last byte is
/// withheld until the digest has been verified and the blob stored: a blob that
/// does not verify is never stored, and every client's stream ends in an error
/// short of its length.
actor BlobFlight {
    enum State {
        case connecting
        case streaming(size: Int64, spool: BlobFile)
        case complete(size: Int64, spool: BlobFile)
        case failed(any Error)
    }

    let digest: Digest
    private var state: State = .connecting
    /// Bytes written to the ingest file (flushed): readable by clients.
    private var written: Int64 = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(digest: Digest) {
        self.digest = digest
    }

    /// The blob's size and the file to read it from, once upstream has answered.
    func head() async throws -> (size: Int64, spool: BlobFile) {
        while true {
            switch state {
            case .connecting: await suspend()
            case .streaming(let size, let spool), .complete(let size, let spool): return (size, spool)
            case .failed(let error): throw error
            }
        }
    }

    /// Waits until bytes past `offset` may be read, and returns how many may be
    /// read in all. Throws the download's failure.
    func readable(beyond offset: Int64) async throws -> Int64 {
        while true {
            switch state {
            case .connecting:
                await suspend()
            case .streaming(let size, _):
                // The last byte waits for the digest's verdict.
                let visible = min(written, size - 1)
                if visible > offset { return visible }
                await suspend()
            case .complete(let size, _):
                return size
            case .failed(let error):
                throw error
            }
        }
    }

    private func suspend() async {
        await withCheckedContinuation { waiters.append($0) }
    }

    private func wakeAll() {
        let all = waiters
        waiters = []
        for waiter in all { waiter.resume() }
    }

    func started(size: Int64, spool: BlobFile) {
        state = .streaming(size: size, spool: spool)
        wakeAll()
    }

    func advanced(to bytes: Int64) {
        written = bytes
        wakeAll()
    }

    func completed() {
        if case .streaming(let size, let spool) = state {
            written = size
            state = .complete(size: size, spool: spool)
        }
        wakeAll()
    }

    func failed(_ error: any Error) {
        state = .failed(error)
        wakeAll()
    }

    /// Downloads the blob into the store, publishing progress to this flight's readers.
    static func download(_ flight: BlobFlight, repository: MirrorRepository, upstream: MirrorUpstream, store: MirrorStore,
                         metrics: MirrorMetrics, logger: Logger) async {
        let digest = flight.digest
        metrics.fetchStarted()
        defer { metrics.fetchEnded() }
        var ingest: BlobIngest?
        do {
            let blob = try await upstream.openBlob(repository, digest)
            let created = try store.layout.makeIngest(for: Descriptor(mediaType: "application/octet-stream", digest: digest, size: blob.size))
            ingest = created
            // A killed writer's partial file may have been adopted: this download starts at byte zero.
            if created.written > 0 { try created.restart() }
            let spool = try BlobFile(path: created.spoolPath)
            await flight.started(size: blob.size, spool: spool)
            for try await chunk in blob.stream {
                try created.write(chunk)
                try created.flushBuffered()
                metrics.upstream(bytes: chunk.readableBytes)
                await flight.advanced(to: created.written)
            }
            try created.commit()
            await flight.completed()
            logger.debug("blob stored", metadata: ["digest": "\(digest)", "size": "\(blob.size)"])
        } catch {
            ingest?.abort()
            logger.warning("upstream blob download failed; nothing stored", metadata: ["digest": "\(digest)", "error": "\(MirrorFailure.words(error))"])
            await flight.failed(error)
        }
    }
}

/// The blobs being downloaded now, by digest: a client asking for one joins its
/// download instead of starting another (one upstream GET for N clients).
actor BlobFlights {
    private var flights: [Digest: BlobFlight] = [:]

    /// The download of `digest` to read from: the running one, or a new one started
    /// with `start`. Nil when the blob is in the store by now (a download that
    /// finished since the caller looked), so the caller serves it from there.
    func join(_ digest: Digest, isStored: @Sendable () -> Bool,
              start: @escaping @Sendable (BlobFlight) async -> Void) -> BlobFlight? {
        if let running = flights[digest] { return running }
        if isStored() { return nil }
        let flight = BlobFlight(digest: digest)
        flights[digest] = flight
        Task {
            await start(flight)
            self.finish(digest, flight)
        }
        return flight
    }

    private func finish(_ digest: Digest, _ flight: BlobFlight) {
        if flights[digest] === flight { flights[digest] = nil }
    }
}
