import HawserCore
import HawserRegistry
import Synchronization

extension RegistryDestination {
    /// Sends the blob's bytes, retrying a transient failure. A chunked upload
    /// resumes: the session is asked how many bytes it holds, and the source is
    /// read from there (Range); a monolithic one starts over in a new session.
    func upload(_ descriptor: Descriptor, from source: any ImageSource, session: String?, options: BlobCopyOptions,
                progress: (@Sendable (Int) -> Void)?) async throws -> BlobOutcome {
        let chunkSize = descriptor.size > options.chunkThreshold ? options.chunkThreshold : nil
        let accepted = SessionBox()
        var location = session
        var delay: Duration = .milliseconds(200)
        for number in 1...options.attempts {
            do {
                var start: Int64 = 0
                if number > 1, chunkSize != nil, let held = accepted.location.withLock({ $0 }),
                   let bytes = try? await client.uploadedBytes(at: held), bytes > 0, bytes < descriptor.size {
                    start = bytes
                    location = held
                }
                // The upload session and the source's answer are asked for at
                // once: a round trip less per blob (small blobs are all round trips).
                let client = self.client, known = location, from = start
                async let opened = Self.session(known, client, for: descriptor)
                let body = try await TransferError.at(source.place, "reading blob \(descriptor.digest)") {
                    try await source.blob(descriptor, from: from)
                }
                try await client.uploadBlob(descriptor, body: body, chunkSize: chunkSize, location: try await opened, from: from,
                                            accepted: { url, _ in accepted.location.withLock { $0 = url } }, progress: progress)
                return .uploaded
            } catch {
                // A monolithic session may be half-written: the next attempt opens a new one.
                location = nil
                guard number < options.attempts, TransientFailure.isTransient(error) else { throw error }
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(2))
            }
        }
        return .uploaded
    }

    /// The session to upload into: the one given, else a new one.
    static func session(_ known: String?, _ client: RegistryClient, for descriptor: Descriptor) async throws -> String {
        if let known { return known }
        return try await openSession(client, for: descriptor)
    }

    /// The latest session location of a chunked upload (after its last accepted PATCH).
    final class SessionBox: Sendable {
        let location = Mutex<String?>(nil)
    }

    static func openSession(_ client: RegistryClient, for descriptor: Descriptor) async throws -> String {
        switch try await client.startUpload(of: descriptor) {
        case .session(let location): return location
        case .mounted:
            throw RegistryError(.invalidResponse, method: "POST", url: client.attempt.url("blobs", "uploads/"),
                                reason: "the registry answered an upload start as a mount")
        }
    }
}
