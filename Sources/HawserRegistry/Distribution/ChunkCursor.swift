import NIOCore

/// Cuts a blob body into consecutive PATCH bodies of given lengths: ranges of
/// the file, or slices of the one stream (a buffer that straddles two chunks is
/// split, its rest kept for the next). Used by one upload at a time.
final class ChunkCursor: @unchecked Sendable {
    private let body: BlobBody
    private var offset: Int64 = 0
    private var iterator: ByteStream.AsyncIterator?
    private var leftover: ByteBuffer?
    private var sliceRemaining: Int64 = 0

    init(_ body: BlobBody) {
        self.body = body
        if case .stream(let stream) = body { iterator = stream.makeAsyncIterator() }
    }

    /// The next `length` bytes as a request body.
    func next(length: Int64) -> RegistryRequest.Body {
        defer { offset += length }
        switch body {
        case .file(let path, let start, _):
            return .file(path: path, offset: start + offset, length: length)
        case .stream:
            // PATCHes go one after another, so one count serves every slice.
            sliceRemaining = length
            return .stream(ByteStream(length: length) { [self] in
                guard sliceRemaining > 0 else { return nil }
                let chunk = try await take(upTo: sliceRemaining)
                sliceRemaining -= Int64(chunk.readableBytes)
                return chunk
            })
        }
    }

    private func take(upTo limit: Int64) async throws -> ByteBuffer {
        var buffer: ByteBuffer
        if let held = leftover {
            buffer = held
            leftover = nil
        } else {
            guard let read = try await iterator?.next() else {
                throw SourceStreamError(RegistryError(.content, reason: "the blob ended before its stated size"))
            }
            buffer = read
        }
        if Int64(buffer.readableBytes) > limit, let head = buffer.readSlice(length: Int(limit)) {
            leftover = buffer
            return head
        }
        return buffer
    }
}
