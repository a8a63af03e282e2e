import Foundation
import HawserCore
import HawserRegistry

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a source's blob into a layout: each chunk hashed and written as it
/// comes, the blob named only once verified. After a transient failure the
/// source is asked again from the bytes already written (a resume).
enum LayoutIngestion {
    static let attempts = 4
    static let readSize = 1 << 20

    static func ingest(_ descriptor: Descriptor, into layout: OCILayout, from source: any ImageSource,
                       progress: (@Sendable (Int) -> Void)?) async throws {
        let ingest = try layout.makeIngest(for: descriptor)
        var delay: Duration = .milliseconds(200)
        for number in 1...attempts {
            do {
                switch try await source.blob(descriptor, from: ingest.written) {
                case .file(let path, let offset, let length):
                    try copyFile(path, offset: offset, length: length, into: ingest, progress: progress)
                case .stream(let stream):
                    for try await chunk in stream {
                        try ingest.write(chunk)
                        progress?(chunk.readableBytes)
                    }
                }
                try ingest.commit()
                return
            } catch {
                guard number < attempts, TransientFailure.isTransient(error) else {
                    ingest.abort()
                    throw error
                }
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(2))
            }
        }
    }

    private static func copyFile(_ path: String, offset: Int64, length: Int64, into ingest: BlobIngest,
                                 progress: (@Sendable (Int) -> Void)?) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StoreError(.io, path: path, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 16)
        defer { scratch.deallocate() }
        var position = offset
        var remaining = length
        while remaining > 0 {
            let count = pread(descriptor, scratch.baseAddress, Int(min(Int64(readSize), remaining)), off_t(position))
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw StoreError(.io, path: path, reason: "the file ended \(remaining) bytes early") }
            try ingest.write(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
            progress?(count)
            position += Int64(count)
            remaining -= Int64(count)
        }
    }
}
