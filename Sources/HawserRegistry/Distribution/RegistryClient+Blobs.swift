import HawserCore
import NIOCore
import NIOHTTP1

extension RegistryClient {
    /// Streams a blob into the layout: each chunk is hashed and written as it
    /// arrives (the HTTP client's backpressure bounds memory), and the blob
    /// takes its final name only once size and digest match.
    public func fetchBlob(_ descriptor: Descriptor, into layout: OCILayout, progress: (@Sendable (Int) -> Void)? = nil) async throws {
        let url = attempt.url("blobs", descriptor.digest.description)
        let response = try await send(RegistryRequest(method: .GET, url: url), expecting: [200])
        let ingest = try layout.makeIngest(for: descriptor)
        do {
            for try await chunk in response.body {
                try ingest.write(chunk)
                progress?(chunk.readableBytes)
            }
            try ingest.commit()
        } catch let error as ContentError {
            ingest.abort()
            throw RegistryError(.content, method: "GET", url: response.url, status: response.status, reason: error.reason)
        } catch let error as StoreError {
            ingest.abort()
            throw error
        } catch {
            ingest.abort()
            throw TransportErrorMapper.map(error, method: "GET", url: response.url)
        }
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
