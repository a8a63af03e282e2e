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

    private func fetchBlob(_ descriptor: Descriptor, into layout: OCILayout, watchdog: StallWatchdog?,
                           progress: (@Sendable (Int) -> Void)?) async throws {
        let url = attempt.url("blobs", descriptor.digest.description)
        let ingest = try layout.makeIngest(for: descriptor)
        // The body is hashed and written on the connection's event loop as it is read.
        let box = IngestBox(ingest)
        var request = RegistryRequest(method: .GET, url: url)
        request.responseSink = ResponseBodySink { chunk in
            try box.ingest.write(chunk)
            watchdog?.progressed(chunk.readableBytes)
            progress?(chunk.readableBytes)
        }
        var answeredURL = url
        var answeredStatus: Int?
        do {
            let response = try await send(request, expecting: [200])
            answeredURL = response.url
            answeredStatus = response.status
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
        } catch let error as ContentError {
            ingest.abort()
            throw RegistryError(.content, method: "GET", url: answeredURL, status: answeredStatus ?? 200, reason: error.reason)
        } catch let error as StoreError {
            ingest.abort()
            throw error
        } catch let error as RegistryError {
            ingest.abort()
            throw error
        } catch is CancellationError {
            ingest.abort()
            throw CancellationError()
        } catch {
            ingest.abort()
            throw TransportErrorMapper.map(error, method: "GET", url: answeredURL)
        }
    }

    /// The ingest, handed to the event loop that feeds it. Used by one thread at
    /// a time: the event loop while the body arrives, then this task (commit).
    private final class IngestBox: @unchecked Sendable {
        let ingest: BlobIngest
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
