import Foundation
import HawserCore
import NIOCore

#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Writes one blob into a layout: bytes go to a temporary file while their
/// digest is computed; only `commit()` after a matching digest and size moves
/// the file to its final name. Used by one task at a time.
public final class BlobIngest {
    public let expected: Descriptor
    private let temporaryPath: String
    private let finalPath: String
    private var descriptor: Int32
    private var digester: StreamingDigester
    private var buffer: UnsafeMutableRawBufferPointer
    private var buffered = 0
    public private(set) var written: Int64 = 0
    private var finished = false

    /// Bytes gathered before one `write(2)`: large writes, bounded memory.
    static let bufferSize = 1 << 20

    init(expected: Descriptor, temporaryPath: String, finalPath: String) throws(StoreError) {
        self.expected = expected
        self.temporaryPath = temporaryPath
        self.finalPath = finalPath
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError(.io, path: temporaryPath, reason: "cannot create: \(String(cString: strerror(errno)))")
        }
        digester = StreamingDigester(expected.digest.algorithm)
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferSize, alignment: 16)
    }

    deinit {
        if !finished {
            close(descriptor)
            unlink(temporaryPath)
        }
        buffer.deallocate()
    }

    /// Adds bytes. Refuses, before writing them, bytes beyond the expected size.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !finished else { return }
        guard written + Int64(bytes.count) <= expected.size else {
            throw ContentError(.sizeMismatch, digest: expected.digest,
                               reason: "more bytes than the \(expected.size) the descriptor states")
        }
        digester.update(bytes)
        written += Int64(bytes.count)
        var offset = 0
        while offset < bytes.count {
            let chunk = min(bytes.count - offset, buffer.count - buffered)
            if let source = bytes.baseAddress, let target = buffer.baseAddress {
                (target + buffered).copyMemory(from: source + offset, byteCount: chunk)
            }
            buffered += chunk
            offset += chunk
            if buffered == buffer.count { try flush() }
        }
    }

    public func write(_ bytes: ByteBuffer) throws {
        try bytes.withUnsafeReadableBytes { try write($0) }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    private func flush() throws(StoreError) {
        var offset = 0
        while offset < buffered {
            guard let base = buffer.baseAddress else { break }
            let count = systemWrite(descriptor, base + offset, buffered - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw StoreError(.io, path: temporaryPath, reason: "write failed: \(String(cString: strerror(errno)))")
            }
            offset += count
        }
        buffered = 0
    }

    /// Verifies size and digest and moves the blob to its final name. On any
    /// failure the temporary file is removed and nothing is stored.
    public func commit() throws {
        guard !finished else { return }
        defer { if !finished { abort() } }
        try flush()
        guard written == expected.size else {
            throw ContentError(.sizeMismatch, digest: expected.digest,
                               reason: "received \(written) bytes, the descriptor states \(expected.size)")
        }
        let actual = digester.finalize()
        guard actual == expected.digest else {
            throw ContentError(.digestMismatch, digest: expected.digest,
                               reason: "the bytes hash to \(actual?.description ?? "?"), not to \(expected.digest)")
        }
        guard close(descriptor) == 0 else {
            throw StoreError(.io, path: temporaryPath, reason: "close failed: \(String(cString: strerror(errno)))")
        }
        finished = true
        guard rename(temporaryPath, finalPath) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw StoreError(.io, path: finalPath, reason: "rename failed: \(reason)")
        }
    }

    /// Drops what was written; nothing reaches the final name.
    public func abort() {
        guard !finished else { return }
        finished = true
        close(descriptor)
        unlink(temporaryPath)
    }
}
