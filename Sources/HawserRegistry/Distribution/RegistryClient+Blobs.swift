import HawserCore
import NIOCore
import NIOHTTP1

extension RegistryClient {
    /// Streams a blob into the layout: each chunk is hashed and written as it
    /// arrives (the HTTP client's backpressure bounds memory), and the blob
    /// takes its final name only once size and digest match.
    /// - Parameter stallTimeout: fail when fewer than `StallWatchdog.minimumBytes`
    ///   arrive in this long (nil: only the pool's read timeout applies).
    public func fetchBlob(_ descriptor: Descriptor, into layout: OCILayout, stallTimeout: Duration? = nil,
                          progress: (@Sendable (Int) -> Void)? = nil) async throws {
        guard let stallTimeout else {
            return try await fetchBlob(descriptor, into: layout, watchdog: nil, progress: progress)
        }
        let watchdog = StallWatchdog(window: stallTimeout)
        let url = attempt.url("blobs", descriptor.digest.description)
        try await watchdog.run({ try await self.fetchBlob(descriptor, into: layout, watchdog: watchdog, progress: progress) }) { received in
            RegistryError(.transport, method: "GET", url: url,
                          reason: "the download stalled: \(received) byte(s) in the last \(stallTimeout) (fewer than \(StallWatchdog.minimumBytes)); raise --stall-timeout for a very slow registry")
        }
    }

    /// Attempts per blob on one host: the first, and retries after a transient
    /// failure (the connection reset or closed mid-body, a 5xx).
    static let blobAttempts = 4

    private func fetchBlob(_ descriptor: Descriptor, into layout: OCILayout, watchdog: StallWatchdog?,
                           progress: (@Sendable (Int) -> Void)?) async throws {
        let url = attempt.url("blobs", descriptor.digest.description)
        let ingest = try layout.makeIngest(for: descriptor)
        // The body is hashed and written on the connection's event loop as it is read.
        let box = IngestBox(ingest)
        var delay: Duration = .milliseconds(200)
        for number in 1...Self.blobAttempts {
            do {
                try await fetchOnce(descriptor, url: url, box: box, watchdog: watchdog, progress: progress)
                return
            } catch let failure as BlobFailure {
                guard failure.transient, number < Self.blobAttempts else {
                    ingest.abort()
                    throw failure.error
                }
                // Backoff, then resume from the bytes already verified (Range), or
                // from zero when the registry does not honour Range.
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(2))
            } catch {
                ingest.abort()
                throw error
            }
        }
    }

    /// What failed in one GET, and whether another is worth it.
    private struct BlobFailure: Error {
        let error: any Error
        let transient: Bool
    }

    /// One GET of the blob, from `box.ingest.written` on when bytes are already in.
    private func fetchOnce(_ descriptor: Descriptor, url: String, box: IngestBox, watchdog: StallWatchdog?,
                           progress: (@Sendable (Int) -> Void)?) async throws {
        let ingest = box.ingest
        let offset = ingest.written
        var request = RegistryRequest(method: .GET, url: url)
        if offset > 0 { request.headers.add(name: "Range", value: "bytes=\(offset)-") }
        box.answered = false
        let begin: @Sendable (Int, HTTPHeaders) throws -> Void = { status, headers in
            box.answered = true
            // 200 to a Range request: the registry sends the whole blob, hashed from the start.
            if status == 200, box.ingest.written > 0 { try box.ingest.restart() }
            if status == 206, Self.contentRangeStart(headers) != box.ingest.written {
                throw RegistryError(.invalidResponse, method: "GET", url: url,
                                    reason: "a partial answer (206) that does not start at byte \(box.ingest.written), where the download stopped")
            }
        }
        request.responseSink = ResponseBodySink(begin: begin) { chunk in
            try box.ingest.write(chunk)
            watchdog?.progressed(chunk.readableBytes)
            progress?(chunk.readableBytes)
        }
        var answeredURL = url
        var answeredStatus: Int?
        do {
            let response = try await send(request)
            answeredURL = response.url
            answeredStatus = response.status
            switch response.status {
            case 200, 206:
                if !response.bodyDelivered { try begin(response.status, response.headers) }
            case 500, 502, 503, 504:
                throw BlobFailure(error: await response.failure(method: "GET"), transient: true)
            default:
                throw BlobFailure(error: await response.failure(method: "GET"), transient: false)
            }
            if !response.bodyDelivered {
                guard let body = response.takeBody() else {
                    throw RegistryError(.invalidResponse, method: "GET", url: response.url, reason: "the response body was already read")
                }
                for try await chunk in body {
                    try ingest.write(chunk)
                    watchdog?.progressed(chunk.readableBytes)
                    progress?(chunk.readableBytes)
                }
            }
            try ingest.commit()
        } catch let failure as BlobFailure {
            throw failure
        } catch let error as ContentError {
            throw BlobFailure(error: RegistryError(.content, method: "GET", url: answeredURL, status: answeredStatus ?? 200, reason: error.reason),
                              transient: false)
        } catch let error as StoreError {
            throw BlobFailure(error: error, transient: false)
        } catch let error as RegistryError {
            // Mid-body (the answer had started): a reset or early close is worth a retry.
            throw BlobFailure(error: error, transient: error.code == .transport && (answeredStatus != nil || box.answered))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw BlobFailure(error: TransportErrorMapper.map(error, method: "GET", url: answeredURL), transient: answeredStatus != nil || box.answered)
        }
    }

    /// The first byte of `Content-Range: bytes <first>-<last>/<total>`.
    static func contentRangeStart(_ headers: HTTPHeaders) -> Int64? {
        guard let value = headers.first(name: "Content-Range"), value.hasPrefix("bytes ") else { return nil }
        return value.dropFirst(6).split(separator: "-").first.flatMap { Int64($0) }
    }

    /// The ingest, handed to the event loop that feeds it. Used by one thread at
    /// a time: the event loop while the body arrives, then this task (commit).
    private final class IngestBox: @unchecked Sendable {
        let ingest: BlobIngest
        /// A 200/206 head arrived for the current GET (so a failure is mid-body).
        var answered = false
        init(_ ingest: BlobIngest) { self.ingest = ingest }
    }

    /// `HEAD /v2/<repo>/blobs/<digest>`: whether the registry already has it.
    public func blobExists(_ descriptor: Descriptor) async throws -> Bool {
        let response = try await send(RegistryRequest(method: .HEAD, url: attempt.url("blobs", descriptor.digest.description)))
        _ = try? await response.collect(limit: 64 << 10)
        switch response.status {
        case 200: return true
        case 404: return false
        default: throw await response.failure(method: "HEAD")
        }
    }
}
